package io.adastream.models.util;

/**
 * Small, fast, fully specified pseudo-random generator (SplitMix64, Steele, Lea and Flood 2014), so that
 * synthetic scenes and corruptions are reproducible bit for bit across JVMs. Not thread-safe.
 */
public final class SplitMix64 {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    private static final double DOUBLE_UNIT = 0x1.0p-53;
    private static final float FLOAT_UNIT = 0x1.0p-24f;

    private long state;
    private double spareGaussian;
    private boolean hasSpare;

    public SplitMix64(long seed) {
        this.state = seed;
    }

    /** A generator for a sub-stream, independent of this one, derived from {@code seed} and {@code stream}. */
    public static SplitMix64 derive(long seed, long stream) {
        return new SplitMix64(mix(seed ^ mix(stream + GOLDEN_GAMMA)));
    }

    public long nextLong() {
        state += GOLDEN_GAMMA;
        return mix(state);
    }

    /** Uniform in [0, 1). */
    public double nextDouble() {
        return (nextLong() >>> 11) * DOUBLE_UNIT;
    }

    /** Uniform in [0, 1). */
    public float nextFloat() {
        return (nextLong() >>> 40) * FLOAT_UNIT;
    }

    /** Uniform in [lo, hi). */
    public float uniform(float lo, float hi) {
        return lo + (hi - lo) * nextFloat();
    }

    /** Uniform in [0, bound), bound &gt; 0. */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive: " + bound);
        }
        return (int) (((nextLong() >>> 33) * bound) >>> 31);
    }

    /** Standard normal deviate (Marsaglia polar method). */
    public double nextGaussian() {
        if (hasSpare) {
            hasSpare = false;
            return spareGaussian;
        }
        double u;
        double v;
        double s;
        do {
            u = 2 * nextDouble() - 1;
            v = 2 * nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double f = Math.sqrt(-2 * Math.log(s) / s);
        spareGaussian = v * f;
        hasSpare = true;
        return u * f;
    }

    /**
     * Poisson deviate with mean {@code lambda}: Knuth's product method for small means, a rounded normal
     * approximation (continuity corrected, clamped at 0) above 30.
     */
    public int nextPoisson(double lambda) {
        if (lambda <= 0) {
            return 0;
        }
        if (lambda > 30) {
            long k = Math.round(lambda + Math.sqrt(lambda) * nextGaussian());
            return (int) Math.max(0, k);
        }
        double limit = Math.exp(-lambda);
        double product = nextDouble();
        int k = 0;
        while (product > limit) {
            product *= nextDouble();
            k++;
        }
        return k;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
