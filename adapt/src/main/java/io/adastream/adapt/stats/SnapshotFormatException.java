package io.adastream.adapt.stats;

/** A domain snapshot that cannot be read: the reason, and a one-line message saying what was wrong. */
public final class SnapshotFormatException extends Exception {

    /** Why a snapshot was refused. */
    public enum Reason {
        /** The input does not start with the snapshot magic bytes. */
        BAD_MAGIC,
        /** The format version is not one this reader knows. */
        UNSUPPORTED_VERSION,
        /** The snapshot was written for another model. */
        FINGERPRINT_MISMATCH,
        /** The input ends before the snapshot does. */
        TRUNCATED,
        /** The input, or a length inside it, is larger than the format allows. */
        OVERSIZED,
        /** A stored number is NaN or infinite. */
        NON_FINITE,
        /** The layers or channel counts differ from the model's. */
        SHAPE_MISMATCH,
        /** The policy name or parameters are not valid. */
        BAD_POLICY,
        /** The stored CRC-32 does not match the content. */
        CHECKSUM_MISMATCH,
        /** A field holds a value the format does not allow (negative count, bad flag, trailing bytes…). */
        MALFORMED
    }

    private final Reason reason;

    public SnapshotFormatException(Reason reason, String message) {
        super("snapshot refused (" + reason + "): " + message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
