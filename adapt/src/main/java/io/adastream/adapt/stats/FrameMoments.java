package io.adastream.adapt.stats;

/**
 * A reusable holder of one frame's per-layer moments: the mean and the population variance of each channel over
 * the frame's spatial positions, as the adaptive graph returns them. Fill {@link #mean(int)} and {@link #var(int)}
 * in place (e.g. with {@code Workspace.copyMoments}) and reuse the holder for the next frame.
 */
public final class FrameMoments {

    /** Negative variances down to this relative tolerance are float rounding; anything below is invalid. */
    static final double NEGATIVE_VARIANCE_TOLERANCE = 1e-5;

    private final float[][] mean;
    private final float[][] var;

    /** A holder for layers with the given channel counts, all zero. */
    public FrameMoments(int[] channels) {
        mean = new float[channels.length][];
        var = new float[channels.length][];
        for (int l = 0; l < channels.length; l++) {
            if (channels[l] <= 0) {
                throw new IllegalArgumentException("layer " + l + " needs a positive channel count, got " + channels[l]);
            }
            mean[l] = new float[channels[l]];
            var[l] = new float[channels[l]];
        }
    }

    /** A holder shaped like the model's layers. */
    public FrameMoments(SourceStatistics source) {
        this(source.channels());
    }

    public int layers() {
        return mean.length;
    }

    public int channels(int layer) {
        return mean[layer].length;
    }

    /** The live per-channel mean array of a layer; write into it. */
    public float[] mean(int layer) {
        return mean[layer];
    }

    /** The live per-channel population-variance array of a layer; write into it. */
    public float[] var(int layer) {
        return var[layer];
    }

    /** Copies a layer's moments from the given arrays. */
    public void set(int layer, float[] layerMean, float[] layerVar) {
        if (layerMean.length != mean[layer].length || layerVar.length != var[layer].length) {
            throw new IllegalArgumentException("layer " + layer + " has " + mean[layer].length + " channels, got "
                    + layerMean.length + " means and " + layerVar.length + " variances");
        }
        System.arraycopy(layerMean, 0, mean[layer], 0, layerMean.length);
        System.arraycopy(layerVar, 0, var[layer], 0, layerVar.length);
    }

    /**
     * Whether every moment is finite and no variance is negative beyond float rounding
     * ({@code v ≥ −1e-5·(1 + m²)}). Invalid frames must not touch a domain's state.
     */
    public boolean isValid() {
        for (int l = 0; l < mean.length; l++) {
            float[] m = mean[l];
            float[] v = var[l];
            for (int c = 0; c < m.length; c++) {
                if (!Float.isFinite(m[c]) || !Float.isFinite(v[c])) {
                    return false;
                }
                if (v[c] < -NEGATIVE_VARIANCE_TOLERANCE * (1.0 + (double) m[c] * m[c])) {
                    return false;
                }
            }
        }
        return true;
    }
}
