package io.adastream.topology;

import java.nio.ByteBuffer;

/**
 * The value of the domain-state store: when the domain was last seen (epoch milliseconds, for least-recently-seen
 * eviction after a restart) followed by the domain's snapshot (adapt/SNAPSHOT-FORMAT.md).
 */
public final class StoredDomain {

    static final int HEADER = Long.BYTES;

    private StoredDomain() {
    }

    public static byte[] encode(long lastSeenMillis, byte[] snapshot) {
        return ByteBuffer.allocate(HEADER + snapshot.length).putLong(lastSeenMillis).put(snapshot).array();
    }

    public static long lastSeen(byte[] stored) {
        return stored.length < HEADER ? 0 : ByteBuffer.wrap(stored).getLong();
    }

    public static byte[] snapshot(byte[] stored) {
        return stored.length < HEADER ? new byte[0] : java.util.Arrays.copyOfRange(stored, HEADER, stored.length);
    }
}
