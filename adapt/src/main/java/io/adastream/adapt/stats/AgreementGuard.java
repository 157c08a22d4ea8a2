package io.adastream.adapt.stats;

/**
 * The agreement guard of docs/algorithms.md §11.11: the statistics a domain predicts with are its estimate shrunk
 * towards the source by how much its frames agree. Per layer l,
 * <pre>
 *   S_l = mean_c (μ̂_c − μ_s,c)² / (σ²_s,c + ε) + ¼·ln²((σ̂²_c + ε) / (σ²_s,c + ε))   how far the estimate moved
 *   D_l = running mean over frames of mean_c (m_c − μ̂_c)²/(σ²_s,c + ε) + ¼·ln²((v_c + ε)/(σ̂²_c + ε))   one frame's scatter
 *   E_l = Σ_i w_i²                                                                    the estimate's noise weight
 *   λ_l = max(0, 1 − κ·E_l·D_l / S_l)                                                 (positive-part James–Stein)
 * </pre>
 * and the fed statistics are μ_s + λ·(μ̂ − μ_s), σ²_s + λ·(σ̂² − σ²_s); the fused blend weight b is scaled by λ too.
 * E·D is the variance the frames' content alone leaves in the estimate: when every frame agrees about a shift
 * (dusk, fog) S ≫ E·D and λ ≈ 1; when unrelated scenes only scatter around the source, S ≈ E·D and λ ≈ 0. Plain,
 * allocation-free functions over one layer's arrays; the state they read and write is a {@link GuardState}.
 */
public final class AgreementGuard {

    /** Default strength κ (the {@code guard} policy parameter); 0 turns the guard off. */
    public static final double DEFAULT_STRENGTH = 2.0;
    /** Default threshold t of the condition gate (the {@code min-shift} policy parameter, §11.12); 0 turns it off. */
    public static final double DEFAULT_MIN_SHIFT = 0.04;
    /** Rate of the condition gate's running mean of the first layer's moments once more than 1/rate frames were seen. */
    public static final double WINDOW_RATE = 0.05;
    /** Rate of the running mean D once more than 1/rate frames were seen (a window of about 20 frames). */
    public static final double DISPERSION_RATE = 0.05;

    private AgreementGuard() {
    }

    /**
     * One frame's dispersion about the estimate, in the units of {@link #distanceFromSource}:
     * mean_c (m_c − μ̂_c)² / (σ²_s,c + ε) + ¼·ln²((v_c + ε) / (σ̂²_c + ε)).
     */
    public static double dispersion(float[] frameMean, float[] frameVar, double[] estimateMean, double[] estimateVar,
                                    SourceStatistics source, int layer) {
        double eps = source.epsilon(layer);
        double sum = 0;
        for (int c = 0; c < frameMean.length; c++) {
            double d = frameMean[c] - estimateMean[c];
            double logRatio = Math.log((Math.max(frameVar[c], 0) + eps) / (Math.max(estimateVar[c], 0) + eps));
            sum += d * d / (source.var(layer, c) + eps) + 0.25 * logRatio * logRatio;
        }
        return sum / Math.max(frameMean.length, 1);
    }

    /**
     * How far fed statistics are from the source: mean_c (μ − μ_s)² / (σ²_s + ε) + ¼·ln²((σ² + ε) / (σ²_s + ε)).
     */
    public static double distanceFromSource(float[] mean, float[] var, SourceStatistics source, int layer) {
        double sum = 0;
        for (int c = 0; c < mean.length; c++) {
            sum += channelDistance(mean[c], var[c], source, layer, c);
        }
        return sum / Math.max(mean.length, 1);
    }

    /** As {@link #distanceFromSource(float[], float[], SourceStatistics, int)}, for the gate's float64 window. */
    public static double distanceFromSource(double[] mean, double[] var, SourceStatistics source, int layer) {
        double sum = 0;
        for (int c = 0; c < mean.length; c++) {
            sum += channelDistance(mean[c], var[c], source, layer, c);
        }
        return sum / Math.max(mean.length, 1);
    }

    /** One channel's term of the distance: (μ − μ_s)² / (σ²_s + ε) + ¼·ln²((σ² + ε) / (σ²_s + ε)). */
    private static double channelDistance(double mean, double var, SourceStatistics source, int layer, int c) {
        double eps = source.epsilon(layer);
        double vs = source.var(layer, c) + eps;
        double d = mean - source.mean(layer, c);
        double logRatio = Math.log((Math.max(var, 0) + eps) / vs);
        return d * d / vs + 0.25 * logRatio * logRatio;
    }

    /** The condition window's rate for frame n + 1 after n frames: max(1/(n + 1), {@link #WINDOW_RATE}). */
    public static double windowRate(long framesSeen) {
        return Math.max(1.0 / (framesSeen + 1), WINDOW_RATE);
    }

    /** Moves the condition window towards one frame's (or one pooled block's) first-layer moments with rate r. */
    public static void moveWindow(double[] windowMean, double[] windowVar, float[] mean, float[] var, double rate) {
        for (int c = 0; c < windowMean.length; c++) {
            moveChannel(windowMean, windowVar, c, mean[c], var[c], rate);
        }
    }

    /** As {@link #moveWindow(double[], double[], float[], float[], double)}, for a pooled block's float64 moments. */
    public static void moveWindow(double[] windowMean, double[] windowVar, double[] mean, double[] var, double rate) {
        for (int c = 0; c < windowMean.length; c++) {
            moveChannel(windowMean, windowVar, c, mean[c], var[c], rate);
        }
    }

    private static void moveChannel(double[] windowMean, double[] windowVar, int c, double mean, double var, double rate) {
        windowMean[c] += rate * (mean - windowMean[c]);
        windowVar[c] += rate * (Math.max(var, 0) - windowVar[c]);
    }

    /**
     * The first layer's shift, corrected for the window's own noise: G = max(0, S_w − E_w·D_1), with S_w the window's
     * distance from the source, E_w its noise weight and D_1 the first layer's frame dispersion.
     */
    public static double conditionShift(double windowDistance, double windowNoise, double firstLayerSpread) {
        return Math.max(0.0, windowDistance - windowNoise * firstLayerSpread);
    }

    /** g = clamp((G − t) / t, 0, 1): 0 below the threshold t, 1 from 2t on; 1 when the gate is off (t = 0). */
    public static double gate(double minShift, double shift) {
        if (minShift == 0) {
            return 1.0;
        }
        return Math.max(0.0, Math.min(1.0, (shift - minShift) / minShift));
    }

    /** The running mean of the dispersion after one more frame: rate max(1/n, {@link #DISPERSION_RATE}) for frame n. */
    public static double nextDispersion(double spread, long framesSeen, double frameDispersion) {
        double rate = Math.max(1.0 / (framesSeen + 1), DISPERSION_RATE);
        return spread + rate * (frameDispersion - spread);
    }

    /** The noise weight after a fold of one frame with weight w: E ← (1 − w)²·E + w². */
    public static double nextNoiseWeight(double noiseWeight, double w) {
        return (1 - w) * (1 - w) * noiseWeight + w * w;
    }

    /** The noise weight after a fold of a pooled block of n frames with block weight W: E ← (1 − W)²·E + W²/n. */
    public static double nextNoiseWeight(double noiseWeight, double blockWeight, long n) {
        return (1 - blockWeight) * (1 - blockWeight) * noiseWeight + blockWeight * blockWeight / n;
    }

    /** λ = max(0, 1 − κ·E·D/S), 1 when the guard is off (κ = 0) or nothing moved (S = 0). */
    public static double scale(double strength, double noiseWeight, double spread, double distance) {
        if (strength == 0 || !(distance > 0)) {
            return 1.0;
        }
        double lambda = 1.0 - strength * noiseWeight * spread / distance;
        return lambda > 0 ? Math.min(lambda, 1.0) : 0.0;
    }

    /** Shrinks a layer's fed statistics towards the source in place: μ ← μ_s + λ·(μ − μ_s), likewise σ². */
    public static void shrink(float[] mean, float[] var, SourceStatistics source, int layer, double lambda) {
        if (lambda == 1.0) {
            return;
        }
        for (int c = 0; c < mean.length; c++) {
            double ms = source.mean(layer, c);
            double vs = source.var(layer, c);
            mean[c] = (float) (ms + lambda * (mean[c] - ms));
            var[c] = (float) (vs + lambda * (var[c] - vs));
        }
    }
}
