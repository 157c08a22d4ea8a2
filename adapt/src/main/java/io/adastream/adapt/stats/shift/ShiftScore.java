package io.adastream.adapt.stats.shift;

import io.adastream.adapt.stats.FrameMoments;
import io.adastream.adapt.stats.SourceStatistics;

/**
 * The per-frame shift score of docs/algorithms.md §11.6: per channel the clipped symmetric KL (Jeffreys) divergence J_c
 * between the frame's Gaussian (m, v) and the domain's (μ, σ²), both floored by ε_v; per layer the 10%-trimmed
 * mean over channels; the score is the mean over layers. Reuses one scratch array: one instance per thread.
 */
public final class ShiftScore {

    /** J_c is clipped at this value so that one dead channel cannot dominate. */
    public static final double CLIP = 50.0;
    /** Fraction trimmed from each end of the channel distribution. */
    public static final double TRIM = 0.1;

    private final SourceStatistics source;
    private final double[] scratch;

    public ShiftScore(SourceStatistics source) {
        this.source = source;
        this.scratch = new double[source.maxChannels()];
    }

    /**
     * Symmetric KL between N(m, v) and N(μ, σ²) after adding the floor ε_v to both variances, clipped at 50:
     * J = (ṽ + δ²)/(2σ̃²) + (σ̃² + δ²)/(2ṽ) − 1 with δ = m − μ, ṽ = v + ε_v, σ̃² = σ² + ε_v.
     */
    public static double jeffreys(double m, double v, double mu, double sigma2, double epsV) {
        double vt = Math.max(v, 0) + epsV;
        double st = Math.max(sigma2, 0) + epsV;
        double d2 = (m - mu) * (m - mu);
        double j = (vt + d2) / (2 * st) + (st + d2) / (2 * vt) - 1;
        return Math.min(j, CLIP);
    }

    /** The frame's score against the statistics (μ, σ²): mean over layers of the trimmed channel mean of J_c. */
    public double score(FrameMoments frame, double[][] mu, double[][] sigma2) {
        double sum = 0;
        int layers = frame.layers();
        for (int l = 0; l < layers; l++) {
            float[] m = frame.mean(l);
            float[] v = frame.var(l);
            double[] mul = mu[l];
            double[] vl = sigma2[l];
            double eps = source.scoreVarianceFloor(l);
            for (int c = 0; c < m.length; c++) {
                scratch[c] = jeffreys(m[c], v[c], mul[c], vl[c], eps);
            }
            sum += trimmedMean(scratch, m.length, TRIM);
        }
        return sum / layers;
    }

    /** The score of pooled moments (m, v), e.g. a held block or a segment, against the statistics (μ, σ²). */
    public double score(double[][] m, double[][] v, double[][] mu, double[][] sigma2) {
        double sum = 0;
        int layers = m.length;
        for (int l = 0; l < layers; l++) {
            double[] ml = m[l];
            double[] vv = v[l];
            double[] mul = mu[l];
            double[] sl = sigma2[l];
            double eps = source.scoreVarianceFloor(l);
            for (int c = 0; c < ml.length; c++) {
                scratch[c] = jeffreys(ml[c], vv[c], mul[c], sl[c], eps);
            }
            sum += trimmedMean(scratch, ml.length, TRIM);
        }
        return sum / layers;
    }

    /**
     * Mean of x[0..n) without the ⌊fraction·n⌋ smallest and the as many largest values. Reorders x in place
     * (two quickselects, O(n), no allocation).
     */
    public static double trimmedMean(double[] x, int n, double fraction) {
        int cut = (int) Math.floor(fraction * n);
        if (cut == 0) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += x[i];
            }
            return s / n;
        }
        select(x, 0, n - 1, cut);          // x[0..cut) are the cut smallest
        select(x, cut, n - 1, n - cut);    // x[n-cut..n) are the cut largest
        double s = 0;
        for (int i = cut; i < n - cut; i++) {
            s += x[i];
        }
        return s / (n - 2 * cut);
    }

    /** Quickselect: rearranges x[lo..hi] so that x[k] holds its rank-k value, smaller before, larger after. */
    static void select(double[] x, int lo, int hi, int k) {
        if (k > hi) {
            return;
        }
        while (hi > lo) {
            int mid = (lo + hi) >>> 1;
            // median of three as pivot
            if (x[mid] < x[lo]) swap(x, mid, lo);
            if (x[hi] < x[lo]) swap(x, hi, lo);
            if (x[hi] < x[mid]) swap(x, hi, mid);
            double pivot = x[mid];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (x[i] < pivot) i++;
                while (x[j] > pivot) j--;
                if (i <= j) {
                    swap(x, i, j);
                    i++;
                    j--;
                }
            }
            if (k <= j) {
                hi = j;
            } else if (k >= i) {
                lo = i;
            } else {
                return;
            }
        }
    }

    private static void swap(double[] x, int a, int b) {
        double t = x[a];
        x[a] = x[b];
        x[b] = t;
    }
}
