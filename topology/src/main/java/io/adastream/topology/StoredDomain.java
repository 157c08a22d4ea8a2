package io.adastream.topology;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The value of the domain-state store: when the domain was last seen (i64 epoch milliseconds, for
 * least-recently-seen eviction after a restart), a flags byte (bit 0: the domain was evicted and is not live; its
 * entry is kept until the snapshot emitted at eviction is readable from the snapshots topic), then the domain's
 * snapshot (adapt/SNAPSHOT-FORMAT.md).
 */
public final class StoredDomain {

    static final int HEADER = Long.BYTES + 1;
    private static final byte EVICTED = 1;

    private StoredDomain() {
    }

    /** A live domain's entry. */
    public static byte[] encode(long lastSeenMillis, byte[] snapshot) {
        return encode(lastSeenMillis, (byte) 0, snapshot);
    }

    /** The entry of a domain just evicted: its last state, until the snapshots topic has caught up with it. */
    public static byte[] encodeEvicted(long lastSeenMillis, byte[] snapshot) {
        return encode(lastSeenMillis, EVICTED, snapshot);
    }

    private static byte[] encode(long lastSeenMillis, byte flags, byte[] snapshot) {
        return ByteBuffer.allocate(HEADER + snapshot.length).putLong(lastSeenMillis).put(flags).put(snapshot).array();
    }

    public static long lastSeen(byte[] stored) {
        return stored.length < HEADER ? 0 : ByteBuffer.wrap(stored).getLong();
    }

    /** Whether the entry is that of an evicted (not live) domain. */
    public static boolean isEvicted(byte[] stored) {
        return stored.length >= HEADER && (stored[Long.BYTES] & EVICTED) != 0;
    }

    public static byte[] snapshot(byte[] stored) {
        return stored.length < HEADER ? new byte[0] : Arrays.copyOfRange(stored, HEADER, stored.length);
    }
}
