package io.adastream.adapt.twotier;

import io.adastream.adapt.stats.DomainState;

import java.util.Arrays;

/**
 * The float32 statistics a domain's baked model was made with, per layer and channel, and a 64-bit digest of their
 * bits (FNV-1a), the key of the session cache. Immutable; equal when every bit is equal.
 */
public final class BakedStatistics {

    private final float[][] mean;
    private final float[][] var;
    private final long digest;

    private BakedStatistics(float[][] mean, float[][] var) {
        if (mean.length != var.length) {
            throw new IllegalArgumentException(mean.length + " mean layers, " + var.length + " variance layers");
        }
        for (int l = 0; l < mean.length; l++) {
            if (mean[l].length != var[l].length) {
                throw new IllegalArgumentException("layer " + l + ": " + mean[l].length + " means, " + var[l].length
                        + " variances");
            }
        }
        this.mean = mean;
        this.var = var;
        this.digest = digestOf(mean, var);
    }

    /** A copy of the statistics the domain feeds the graph now ({@link DomainState#fedMean}, {@link DomainState#fedVar}). */
    public static BakedStatistics of(DomainState state) {
        int layers = state.layers();
        float[][] m = new float[layers][];
        float[][] v = new float[layers][];
        for (int l = 0; l < layers; l++) {
            m[l] = state.fedMean(l).clone();
            v[l] = state.fedVar(l).clone();
        }
        return new BakedStatistics(m, v);
    }

    /** Statistics given per layer (copied). */
    public static BakedStatistics of(float[][] mean, float[][] var) {
        float[][] m = new float[mean.length][];
        float[][] v = new float[var.length][];
        for (int l = 0; l < mean.length; l++) {
            m[l] = mean[l].clone();
        }
        for (int l = 0; l < var.length; l++) {
            v[l] = var[l].clone();
        }
        return new BakedStatistics(m, v);
    }

    public int layers() {
        return mean.length;
    }

    /** A copy of layer {@code l}'s means. */
    public float[] mean(int layer) {
        return mean[layer].clone();
    }

    /** A copy of layer {@code l}'s variances. */
    public float[] var(int layer) {
        return var[layer].clone();
    }

    float meanAt(int layer, int channel) {
        return mean[layer][channel];
    }

    float varAt(int layer, int channel) {
        return var[layer][channel];
    }

    int channels(int layer) {
        return mean[layer].length;
    }

    /** Copies of every layer, {mean, var}, for the exporter. */
    float[][][] copies() {
        float[][] m = new float[mean.length][];
        float[][] v = new float[var.length][];
        for (int l = 0; l < mean.length; l++) {
            m[l] = mean[l].clone();
            v[l] = var[l].clone();
        }
        return new float[][][]{m, v};
    }

    /** FNV-1a over the layer count, then per layer its channel count and every mean's and variance's bits. */
    public long digest() {
        return digest;
    }

    private static long digestOf(float[][] mean, float[][] var) {
        long h = 0xcbf29ce484222325L;
        h = mix(h, mean.length);
        for (int l = 0; l < mean.length; l++) {
            h = mix(h, mean[l].length);
            for (int c = 0; c < mean[l].length; c++) {
                h = mix(h, Float.floatToRawIntBits(mean[l][c]));
                h = mix(h, Float.floatToRawIntBits(var[l][c]));
            }
        }
        return h;
    }

    private static long mix(long h, int value) {
        for (int shift = 0; shift < 32; shift += 8) {
            h ^= (value >>> shift) & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BakedStatistics b && b.digest == digest && Arrays.deepEquals(b.mean, mean)
                && Arrays.deepEquals(b.var, var);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(digest);
    }
}
