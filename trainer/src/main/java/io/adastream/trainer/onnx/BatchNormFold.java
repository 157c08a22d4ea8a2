package io.adastream.trainer.onnx;

/**
 * Folds an inference-mode BatchNormalization into the convolution before it: per output channel o, with
 * {@code s = gamma[o] / sqrt(var[o] + epsilon)}, the weights become {@code W[o] * s} and the bias
 * {@code (b[o] - mean[o]) * s + beta[o]}. Computed in double precision and rounded once to float.
 */
public final class BatchNormFold {
    /** The folded convolution parameters: weight in the original layout [out, in, kh, kw], bias [out]. */
    public record Folded(float[] weight, float[] bias) {
    }

    private BatchNormFold() {
    }

    /**
     * @param weight convolution weights [out, ...], row-major, each output channel a contiguous block
     * @param bias   convolution bias [out], or null for a bias-free convolution
     */
    public static Folded fold(float[] weight, float[] bias, float[] gamma, float[] beta, float[] mean, float[] var,
                              float epsilon) {
        int out = gamma.length;
        if (beta.length != out || mean.length != out || var.length != out || (bias != null && bias.length != out)) {
            throw new IllegalArgumentException("BatchNormalization parameters must all have " + out + " channels");
        }
        if (out == 0 || weight.length % out != 0) {
            throw new IllegalArgumentException(weight.length + " weights do not split into " + out + " channels");
        }
        int perChannel = weight.length / out;
        float[] w = new float[weight.length];
        float[] b = new float[out];
        for (int o = 0; o < out; o++) {
            double s = gamma[o] / Math.sqrt((double) var[o] + epsilon);
            for (int i = o * perChannel; i < (o + 1) * perChannel; i++) {
                w[i] = (float) (weight[i] * s);
            }
            double b0 = bias == null ? 0.0 : bias[o];
            b[o] = (float) ((b0 - mean[o]) * s + beta[o]);
        }
        return new Folded(w, b);
    }
}
