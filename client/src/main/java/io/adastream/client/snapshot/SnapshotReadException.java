package io.adastream.client.snapshot;

import org.apache.kafka.common.errors.SerializationException;

/** A snapshots-topic value that is not a readable domain snapshot; {@link #reason()} says why in one word. */
public final class SnapshotReadException extends SerializationException {

    private static final long serialVersionUID = 1L;

    /** Why a snapshot was refused (the same reasons as the service's own reader). */
    public enum Reason {
        BAD_MAGIC, UNSUPPORTED_VERSION, FINGERPRINT_MISMATCH, TRUNCATED, OVERSIZED, NON_FINITE, MALFORMED,
        CHECKSUM_MISMATCH
    }

    private final Reason reason;

    public SnapshotReadException(Reason reason, String message) {
        super(reason + ": " + message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
