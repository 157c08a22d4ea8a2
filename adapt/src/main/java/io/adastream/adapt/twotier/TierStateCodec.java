package io.adastream.adapt.twotier;

import io.adastream.adapt.stats.SourceStatistics;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;

/**
 * The bytes of a {@link TierState}, in two parts so that the large one is written only when it changes:
 * <ul>
 *   <li>counters, written with every state write (29 bytes): magic {@code ADTC}, format version 1 (u8), K (i32),
 *   frames baked since the last adaptive one (i32), bakes (i64), the baked statistics' digest (i64; 0 and bakes 0
 *   without a bake);</li>
 *   <li>bake, written at each bake: magic {@code ADTB}, version 1 (u8), layers (i32), then per layer its channel
 *   count (i32), its means and its variances (float32, big-endian).</li>
 * </ul>
 * {@link #read} checks the parts against each other (the digest) and against the model's layers.
 */
public final class TierStateCodec {

    private static final byte[] COUNTERS = {'A', 'D', 'T', 'C'};
    private static final byte[] BAKE = {'A', 'D', 'T', 'B'};
    private static final byte VERSION = 1;

    private TierStateCodec() {
    }

    public static byte[] writeCounters(TierState tier) {
        return ByteBuffer.allocate(COUNTERS.length + 1 + 4 + 4 + 8 + 8).put(COUNTERS).put(VERSION)
                .putInt(tier.k).putInt(tier.sinceAdaptive).putLong(tier.bakes)
                .putLong(tier.baked == null ? 0 : tier.baked.digest()).array();
    }

    public static byte[] writeBake(BakedStatistics baked) {
        int floats = 0;
        for (int l = 0; l < baked.layers(); l++) {
            floats += 2 * baked.channels(l);
        }
        ByteBuffer b = ByteBuffer.allocate(BAKE.length + 1 + 4 + 4 * baked.layers() + 4 * floats);
        b.put(BAKE).put(VERSION).putInt(baked.layers());
        for (int l = 0; l < baked.layers(); l++) {
            int c = baked.channels(l);
            b.putInt(c);
            for (int i = 0; i < c; i++) {
                b.putFloat(baked.meanAt(l, i));
            }
            for (int i = 0; i < c; i++) {
                b.putFloat(baked.varAt(l, i));
            }
        }
        return b.array();
    }

    /**
     * Reads a state back; {@code bake} may be null when the counters record no bake.
     *
     * @throws IllegalArgumentException with the reason when the bytes are not a two-tier state of this model
     */
    public static TierState read(byte[] counters, byte[] bake, SourceStatistics source) {
        try {
            ByteBuffer c = ByteBuffer.wrap(counters);
            expect(c, COUNTERS, "counters");
            int k = c.getInt();
            int since = c.getInt();
            long bakes = c.getLong();
            long digest = c.getLong();
            BakedStatistics baked = null;
            if (bakes > 0) {
                if (bake == null) {
                    throw new IllegalArgumentException("two-tier state records " + bakes + " bakes but its baked statistics are missing");
                }
                baked = readBake(bake, source);
                if (baked.digest() != digest) {
                    throw new IllegalArgumentException("two-tier baked statistics do not match their counters (digest "
                            + Long.toHexString(baked.digest()) + ", expected " + Long.toHexString(digest) + ")");
                }
            }
            TierState tier = new TierState();
            tier.restore(k, since, bakes, baked);
            return tier;
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("two-tier state is truncated");
        }
    }

    private static BakedStatistics readBake(byte[] bytes, SourceStatistics source) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        expect(b, BAKE, "baked statistics");
        int layers = b.getInt();
        if (layers != source.layers()) {
            throw new IllegalArgumentException("baked statistics have " + layers + " layers, the model " + source.layers());
        }
        float[][] mean = new float[layers][];
        float[][] var = new float[layers][];
        for (int l = 0; l < layers; l++) {
            int c = b.getInt();
            if (c != source.channels(l)) {
                throw new IllegalArgumentException("baked statistics' layer " + l + " has " + c + " channels, the model's "
                        + source.channels(l));
            }
            mean[l] = new float[c];
            var[l] = new float[c];
            for (int i = 0; i < c; i++) {
                mean[l][i] = b.getFloat();
            }
            for (int i = 0; i < c; i++) {
                var[l][i] = b.getFloat();
            }
        }
        if (b.hasRemaining()) {
            throw new IllegalArgumentException("baked statistics have " + b.remaining() + " bytes too many");
        }
        return BakedStatistics.of(mean, var);
    }

    private static void expect(ByteBuffer b, byte[] magic, String what) {
        for (byte m : magic) {
            if (b.get() != m) {
                throw new IllegalArgumentException("not a two-tier " + what + " record (bad magic)");
            }
        }
        byte version = b.get();
        if (version != VERSION) {
            throw new IllegalArgumentException("two-tier " + what + " format version " + version + " is not supported");
        }
    }
}
