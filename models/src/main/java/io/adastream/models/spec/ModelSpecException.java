package io.adastream.models.spec;

/** A model spec that is missing, unreadable or invalid; the message is one line. */
public final class ModelSpecException extends Exception {
    public ModelSpecException(String message) {
        super(message);
    }
}
