package io.adastream.cli;

/** Bad input to a command (arguments, files, models): reported as one line with exit code 2. */
final class UsageException extends Exception {
    UsageException(String message) {
        super(message);
    }

    UsageException(String message, Throwable cause) {
        super(message, cause);
    }
}
