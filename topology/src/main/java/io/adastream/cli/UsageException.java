package io.adastream.cli;

/** Bad input to a command (arguments, files, models): reported as one line with exit code 2. */
public final class UsageException extends Exception {
    public UsageException(String message) {
        super(message);
    }

    public UsageException(String message, Throwable cause) {
        super(message, cause);
    }
}
