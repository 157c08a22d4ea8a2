package io.adastream.topology;

import io.adastream.adapt.stats.SnapshotCodec;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The value of the domain-state store: when the domain was last seen (i64 epoch milliseconds, for
 * least-recently-seen eviction after a restart), a flags byte (bit 0: the domain was evicted and is not live; its
 * entry is kept until the snapshot emitted at eviction is readable from the snapshots topic), then the domain's
 * snapshot (adapt/SNAPSHOT-FORMAT.md); with the two-tier path on, flag bit 1 says the domain's two-tier counters
 * (29 bytes) come between the flags byte and the snapshot. Entries of the first layout, without the flags byte (the snapshot's magic
 * {@code ADSS} right after the timestamp), are still read: as live domains.
 */
public final class StoredDomain {

    private static final int TIMESTAMP = Long.BYTES;
    static final int HEADER = TIMESTAMP + 1;
    private static final byte EVICTED = 1;
    /** Flag bit 1: the domain's two-tier counters ({@code TierStateCodec}, 29 bytes) follow the flags byte. */
    private static final byte TWO_TIER = 2;
    private static final int TIER_COUNTERS = 29;

    private StoredDomain() {
    }

    /** A live domain's entry. */
    public static byte[] encode(long lastSeenMillis, byte[] snapshot) {
        return encode(lastSeenMillis, (byte) 0, snapshot);
    }

    /** A live domain's entry with its two-tier counters ({@code TierStateCodec.writeCounters}). */
    public static byte[] encode(long lastSeenMillis, byte[] tierCounters, byte[] snapshot) {
        if (tierCounters.length != TIER_COUNTERS) {
            throw new IllegalArgumentException("two-tier counters are " + TIER_COUNTERS + " bytes, got " + tierCounters.length);
        }
        return ByteBuffer.allocate(HEADER + TIER_COUNTERS + snapshot.length).putLong(lastSeenMillis).put(TWO_TIER)
                .put(tierCounters).put(snapshot).array();
    }

    /** The entry's two-tier counters, or null when it has none. */
    public static byte[] tierCounters(byte[] stored) {
        if (!hasTierCounters(stored)) {
            return null;
        }
        return Arrays.copyOfRange(stored, HEADER, HEADER + TIER_COUNTERS);
    }

    private static boolean hasTierCounters(byte[] stored) {
        return headerLength(stored) == HEADER && stored.length >= HEADER + TIER_COUNTERS
                && (stored[TIMESTAMP] & TWO_TIER) != 0;
    }

    /** The entry of a domain just evicted: its last state, until the snapshots topic has caught up with it. */
    public static byte[] encodeEvicted(long lastSeenMillis, byte[] snapshot) {
        return encode(lastSeenMillis, EVICTED, snapshot);
    }

    private static byte[] encode(long lastSeenMillis, byte flags, byte[] snapshot) {
        return ByteBuffer.allocate(HEADER + snapshot.length).putLong(lastSeenMillis).put(flags).put(snapshot).array();
    }

    public static long lastSeen(byte[] stored) {
        return stored.length < TIMESTAMP ? 0 : ByteBuffer.wrap(stored).getLong();
    }

    /** Whether the entry is that of an evicted (not live) domain. */
    public static boolean isEvicted(byte[] stored) {
        return headerLength(stored) == HEADER && stored.length > TIMESTAMP && (stored[TIMESTAMP] & EVICTED) != 0;
    }

    public static byte[] snapshot(byte[] stored) {
        int header = headerLength(stored) + (hasTierCounters(stored) ? TIER_COUNTERS : 0);
        return stored.length < header ? new byte[0] : Arrays.copyOfRange(stored, header, stored.length);
    }

    /** 8 for the first layout (the snapshot's magic right after the timestamp), 9 with the flags byte. */
    private static int headerLength(byte[] stored) {
        byte[] magic = SnapshotCodec.MAGIC;
        if (stored.length >= TIMESTAMP + magic.length
                && Arrays.equals(stored, TIMESTAMP, TIMESTAMP + magic.length, magic, 0, magic.length)) {
            return TIMESTAMP;
        }
        return HEADER;
    }
}
