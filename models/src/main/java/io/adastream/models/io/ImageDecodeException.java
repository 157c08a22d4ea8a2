package io.adastream.models.io;

/** An input that cannot be turned into an image, with a machine-readable {@link Reason}. */
public final class ImageDecodeException extends Exception {
    /** Why decoding was refused or failed. */
    public enum Reason {
        /** No bytes at all. */
        EMPTY,
        /** The magic bytes match none of PNG, JPEG and BMP. */
        UNKNOWN_FORMAT,
        /** The data ends before the header or the image data is complete. */
        TRUNCATED,
        /** The header or image data is malformed. */
        CORRUPT,
        /** Too many bytes, or a declared width, height or pixel count over the limits. */
        TOO_LARGE,
        /** A channel layout that is not grey, RGB or RGBA (e.g. CMYK JPEG). */
        UNSUPPORTED_CHANNELS
    }

    private final Reason reason;

    public ImageDecodeException(Reason reason, String message) {
        super(reason + ": " + message);
        this.reason = reason;
    }

    public ImageDecodeException(Reason reason, String message, Throwable cause) {
        super(reason + ": " + message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
