package io.adastream.models.shift;

import io.adastream.models.util.SplitMix64;

/**
 * ImageNet-C {@code contrast}: {@code clip((x - μ) · c + μ)} with μ the per-channel image mean,
 * c = [0.4, 0.3, 0.2, 0.1, 0.05] (the same in ImageNet-C and Tiny-ImageNet-C).
 */
final class Contrast implements CorruptionKernel {
    static final float[] FACTOR = {0.4f, 0.3f, 0.2f, 0.1f, 0.05f};

    @Override
    public void apply(float[] src, float[] dst, int width, int height, int severity, SplitMix64 rng) {
        float factor = FACTOR[severity - 1];
        double[] sum = new double[3];
        for (int o = 0; o < src.length; o += 3) {
            sum[0] += src[o];
            sum[1] += src[o + 1];
            sum[2] += src[o + 2];
        }
        int pixels = width * height;
        for (int c = 0; c < 3; c++) {
            float mean = (float) (sum[c] / pixels);
            for (int o = c; o < src.length; o += 3) {
                dst[o] = Pixels.clamp01((src[o] - mean) * factor + mean);
            }
        }
    }
}
