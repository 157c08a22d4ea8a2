package io.adastream.adapt.testing;

import java.util.Random;

/** Small numeric helpers for tests. */
public final class Arrays2 {

    private Arrays2() {
    }

    public static float[] gaussian(Random r, int n, double mean, double std) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (mean + r.nextGaussian() * std);
        }
        return v;
    }

    /** max |a − b| / max(1, |b|): absolute for small values, relative for large ones. */
    public static double maxScaledDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new AssertionError("lengths differ: " + a.length + " vs " + b.length);
        }
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            double d = Math.abs((double) a[i] - b[i]) / Math.max(1.0, Math.abs(b[i]));
            if (!(d <= worst)) {
                worst = Double.isNaN(d) ? Double.POSITIVE_INFINITY : d;
            }
        }
        return worst;
    }

    public static double maxScaledDiff(float[] a, double[] b) {
        float[] f = new float[b.length];
        for (int i = 0; i < b.length; i++) {
            f[i] = (float) b[i];
        }
        return maxScaledDiff(a, f);
    }
}
