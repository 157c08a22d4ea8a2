package io.adastream.metrics;

/** The domain directory cannot answer now (e.g. the streams app is rebalancing); the API answers 503. */
public final class DirectoryUnavailableException extends Exception {

    public DirectoryUnavailableException(String message) {
        super(message);
    }

    public DirectoryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
