package io.adastream.adapt.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Synthetic source statistics and frame moments for the statistics tests. */
public final class StatsFixtures {

    private StatsFixtures() {
    }

    /** A fingerprint that is not any real model's: 32 bytes of {@code seed}. */
    public static byte[] fingerprint(int seed) {
        byte[] f = new byte[SourceStatistics.FINGERPRINT_BYTES];
        new Random(seed).nextBytes(f);
        return f;
    }

    /** Source statistics with random means in [-1, 1) and variances in [0.5, 2). */
    public static SourceStatistics source(Random random, int... channels) {
        List<float[]> means = new ArrayList<>();
        List<float[]> vars = new ArrayList<>();
        for (int c : channels) {
            float[] m = new float[c];
            float[] v = new float[c];
            for (int i = 0; i < c; i++) {
                m[i] = (float) (2 * random.nextDouble() - 1);
                v[i] = (float) (0.5 + 1.5 * random.nextDouble());
            }
            means.add(m);
            vars.add(v);
        }
        return SourceStatistics.of(means, vars, fingerprint(7));
    }

    /** Fills a frame with random moments: means around {@code offset}, variances in [0.2, 1.2). */
    public static void randomFrame(Random random, FrameMoments frame, double offset) {
        for (int l = 0; l < frame.layers(); l++) {
            float[] m = frame.mean(l);
            float[] v = frame.var(l);
            for (int c = 0; c < m.length; c++) {
                m[c] = (float) (offset + random.nextGaussian());
                v[c] = (float) (0.2 + random.nextDouble());
            }
        }
    }

    /**
     * Fills a frame from a synthetic domain: per channel the mean is μ_s + offset·σ_s plus a between-frame jitter of
     * 0.3·σ_s, and the variance is scale·σ²_s·U(0.8, 1.2).
     */
    public static void domainFrame(Random random, SourceStatistics source, FrameMoments frame, double offset,
                                   double scale) {
        for (int l = 0; l < frame.layers(); l++) {
            float[] m = frame.mean(l);
            float[] v = frame.var(l);
            for (int c = 0; c < m.length; c++) {
                double sd = Math.sqrt(source.var(l, c));
                m[c] = (float) (source.mean(l, c) + offset * sd + 0.3 * sd * random.nextGaussian());
                v[c] = (float) (scale * source.var(l, c) * (0.8 + 0.4 * random.nextDouble()));
            }
        }
    }
}
