package io.adastream.adapt.stats;

import io.adastream.adapt.onnx.AdaptiveModel;
import io.adastream.adapt.onnx.BatchNormLayer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The immutable source (training) statistics of a model's adapted BatchNormalization layers, with each layer's
 * epsilon and the SHA-256 fingerprint of the model. Every domain starts from these; they are never stored per domain.
 */
public final class SourceStatistics {

    /** Default BatchNormalization epsilon, used when the caller gives none (ONNX default). */
    public static final float DEFAULT_EPSILON = 1e-5f;
    /** Length of a SHA-256 fingerprint in bytes. */
    public static final int FINGERPRINT_BYTES = 32;

    private final float[][] mean;
    private final float[][] var;
    private final float[] epsilon;
    private final double[] scoreVarianceFloor;
    private final int[] channels;
    private final byte[] fingerprint;
    private final int maxChannels;

    private SourceStatistics(List<float[]> means, List<float[]> vars, float[] epsilons, byte[] fingerprint) {
        if (means.size() != vars.size() || means.size() != epsilons.length) {
            throw new IllegalArgumentException("need one mean, variance and epsilon per layer, got " + means.size()
                    + " means, " + vars.size() + " variances and " + epsilons.length + " epsilons");
        }
        if (fingerprint == null || fingerprint.length != FINGERPRINT_BYTES) {
            throw new IllegalArgumentException("model fingerprint must be " + FINGERPRINT_BYTES + " bytes (SHA-256), got "
                    + (fingerprint == null ? "null" : fingerprint.length));
        }
        int layers = means.size();
        this.mean = new float[layers][];
        this.var = new float[layers][];
        this.epsilon = epsilons.clone();
        this.channels = new int[layers];
        this.scoreVarianceFloor = new double[layers];
        int max = 0;
        for (int l = 0; l < layers; l++) {
            float[] m = means.get(l);
            float[] v = vars.get(l);
            if (m.length != v.length || m.length == 0) {
                throw new IllegalArgumentException("layer " + l + ": " + m.length + " means and " + v.length
                        + " variances; need the same positive channel count");
            }
            double sum = 0;
            for (int c = 0; c < m.length; c++) {
                if (!Float.isFinite(m[c]) || !Float.isFinite(v[c]) || v[c] < 0) {
                    throw new IllegalArgumentException("layer " + l + " channel " + c + ": source statistics must be finite "
                            + "with non-negative variance, got mean " + m[c] + " var " + v[c]);
                }
                sum += v[c];
            }
            if (!(epsilons[l] >= 0) || !Float.isFinite(epsilons[l])) {
                throw new IllegalArgumentException("layer " + l + ": epsilon must be finite and >= 0, got " + epsilons[l]);
            }
            mean[l] = m.clone();
            var[l] = v.clone();
            channels[l] = m.length;
            scoreVarianceFloor[l] = 1e-3 * sum / m.length + epsilons[l];
            max = Math.max(max, m.length);
        }
        this.fingerprint = fingerprint.clone();
        this.maxChannels = max;
    }

    /** The source statistics of every layer of an adaptive model, in layer order. */
    public static SourceStatistics of(AdaptiveModel model) {
        List<float[]> means = new ArrayList<>();
        List<float[]> vars = new ArrayList<>();
        float[] eps = new float[model.layerCount()];
        int l = 0;
        for (BatchNormLayer layer : model.layers()) {
            means.add(layer.sourceMean());
            vars.add(layer.sourceVar());
            eps[l++] = layer.epsilon();
        }
        return new SourceStatistics(means, vars, eps, model.sourceFingerprint());
    }

    /** Source statistics from per-layer arrays, each layer with its node's epsilon. */
    public static SourceStatistics of(List<float[]> means, List<float[]> vars, float[] epsilons, byte[] fingerprint) {
        return new SourceStatistics(means, vars, epsilons, fingerprint);
    }

    /** Source statistics from per-layer arrays, every layer with the ONNX default epsilon 1e-5. */
    public static SourceStatistics of(List<float[]> means, List<float[]> vars, byte[] fingerprint) {
        float[] eps = new float[means.size()];
        Arrays.fill(eps, DEFAULT_EPSILON);
        return new SourceStatistics(means, vars, eps, fingerprint);
    }

    public int layers() {
        return mean.length;
    }

    public int channels(int layer) {
        return channels[layer];
    }

    /** Channel count of each layer (a copy). */
    public int[] channels() {
        return channels.clone();
    }

    /** The largest channel count of any layer. */
    public int maxChannels() {
        return maxChannels;
    }

    public float epsilon(int layer) {
        return epsilon[layer];
    }

    /** Source mean of a channel. */
    public float mean(int layer, int channel) {
        return mean[layer][channel];
    }

    /** Source variance of a channel. */
    public float var(int layer, int channel) {
        return var[layer][channel];
    }

    /** Copies a layer's source means into {@code out}. */
    public void copyMean(int layer, double[] out) {
        float[] m = mean[layer];
        for (int c = 0; c < m.length; c++) {
            out[c] = m[c];
        }
    }

    /** Copies a layer's source variances into {@code out}. */
    public void copyVar(int layer, double[] out) {
        float[] v = var[layer];
        for (int c = 0; c < v.length; c++) {
            out[c] = v[c];
        }
    }

    /**
     * The shift score's variance floor of a layer, ε_v = 1e-3·mean_c(σ²_src) + node ε (docs/algorithms.md §11.6):
     * keeps dead channels from dominating the divergence.
     */
    public double scoreVarianceFloor(int layer) {
        return scoreVarianceFloor[layer];
    }

    /** The model's SHA-256 fingerprint (a copy). */
    public byte[] fingerprint() {
        return fingerprint.clone();
    }

    /** Whether {@code other} is this model's fingerprint. */
    public boolean hasFingerprint(byte[] other) {
        return Arrays.equals(fingerprint, other);
    }

    /** Whether {@code moments} is shaped like this model's layers. */
    public boolean fits(FrameMoments moments) {
        if (moments.layers() != layers()) {
            return false;
        }
        for (int l = 0; l < layers(); l++) {
            if (moments.channels(l) != channels[l]) {
                return false;
            }
        }
        return true;
    }
}
