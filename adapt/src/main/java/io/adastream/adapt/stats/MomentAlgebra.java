package io.adastream.adapt.stats;

/**
 * The moment algebra of docs/algorithms.md §1.2 as plain per-channel functions: the weighted fold of new moments into
 * running statistics, the exact pooled (Chan) merge, and the exact mixture. All accumulate in double, none allocates.
 */
public final class MomentAlgebra {

    private MomentAlgebra() {
    }

    /**
     * Folds moments (m, v) into (μ, σ²) with weight w on the new moments:
     * δ = m − μ; μ ← μ + w·δ; σ² ← (1−w)·σ² + w·v + w·(1−w)·δ² (the last term only in moment-exact mode).
     * Variances are clamped at 0, so tiny negative frame variances from float rounding do no harm.
     */
    public static void fold(double[] mu, double[] sigma2, float[] m, float[] v, double w, VarianceMode mode) {
        double cross = mode == VarianceMode.MOMENT_EXACT ? w * (1 - w) : 0.0;
        for (int c = 0; c < mu.length; c++) {
            double delta = m[c] - mu[c];
            mu[c] += w * delta;
            sigma2[c] = Math.max(0.0, (1 - w) * sigma2[c] + w * Math.max(0.0, v[c]) + cross * delta * delta);
        }
    }

    /** {@link #fold(double[], double[], float[], float[], double, VarianceMode)} for moments held in double. */
    public static void fold(double[] mu, double[] sigma2, double[] m, double[] v, double w, VarianceMode mode) {
        double cross = mode == VarianceMode.MOMENT_EXACT ? w * (1 - w) : 0.0;
        for (int c = 0; c < mu.length; c++) {
            double delta = m[c] - mu[c];
            mu[c] += w * delta;
            sigma2[c] = Math.max(0.0, (1 - w) * sigma2[c] + w * Math.max(0.0, v[c]) + cross * delta * delta);
        }
    }

    /**
     * Exact pooled merge (Chan et al.) of statistics b (count nB) into a (count nA), population variances:
     * n = nA + nB, δ = μ_b − μ_a, μ ← μ_a + δ·nB/n, σ² ← (nA·σ²_a + nB·σ²_b)/n + δ²·nA·nB/n².
     */
    public static void chanMerge(double nA, double[] muA, double[] varA, double nB, double[] muB, double[] varB) {
        double n = nA + nB;
        if (nB <= 0) {
            return;
        }
        double fa = nA / n;
        double fb = nB / n;
        for (int c = 0; c < muA.length; c++) {
            double delta = muB[c] - muA[c];
            muA[c] += delta * fb;
            varA[c] = Math.max(0.0, fa * varA[c] + fb * varB[c] + delta * delta * fa * fb);
        }
    }

    /** Chan merge of one frame (count 1) into pooled statistics of count nA. */
    public static void chanMerge(double nA, double[] muA, double[] varA, float[] m, float[] v) {
        double n = nA + 1;
        double fa = nA / n;
        double fb = 1 / n;
        for (int c = 0; c < muA.length; c++) {
            double delta = m[c] - muA[c];
            muA[c] += delta * fb;
            varA[c] = Math.max(0.0, fa * varA[c] + fb * Math.max(0.0, v[c]) + delta * delta * fa * fb);
        }
    }

    /**
     * The exact mixture of K components with weights π (summing to 1) for one channel:
     * μ = Σ π_k μ_k; σ² = Σ π_k (σ²_k + (μ_k − μ)²), which equals Σ π_k (σ²_k + μ_k²) − μ² without its cancellation.
     * Returns μ in {@code out[0]} and σ² in {@code out[1]}.
     */
    public static void mixture(double[] pi, double[] mus, double[] vars, int k, double[] out) {
        double mu = 0;
        for (int i = 0; i < k; i++) {
            mu += pi[i] * mus[i];
        }
        double var = 0;
        for (int i = 0; i < k; i++) {
            double d = mus[i] - mu;
            var += pi[i] * (vars[i] + d * d);
        }
        out[0] = mu;
        out[1] = var;
    }
}
