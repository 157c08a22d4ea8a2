package io.adastream.models.shift;

import io.adastream.models.util.SplitMix64;

/**
 * ImageNet-C {@code brightness}: in HSV space, {@code V = clip(V + c)}, c = [0.1, 0.2, 0.3, 0.4, 0.5] (the same in
 * ImageNet-C and Tiny-ImageNet-C). Computed without the HSV round trip: with hue and saturation fixed, RGB is
 * proportional to V, so each pixel is scaled by {@code V' / V} (a black pixel, V = 0 and S = 0, becomes grey V').
 */
final class Brightness implements CorruptionKernel {
    static final float[] SHIFT = {0.1f, 0.2f, 0.3f, 0.4f, 0.5f};

    @Override
    public void apply(float[] src, float[] dst, int width, int height, int severity, SplitMix64 rng) {
        float shift = SHIFT[severity - 1];
        for (int o = 0; o < src.length; o += 3) {
            float value = Math.max(src[o], Math.max(src[o + 1], src[o + 2]));
            float raised = Math.min(1f, value + shift);
            if (value <= 0f) {
                dst[o] = raised;
                dst[o + 1] = raised;
                dst[o + 2] = raised;
            } else {
                float scale = raised / value;
                for (int c = 0; c < 3; c++) {
                    dst[o + c] = Pixels.clamp01(src[o + c] * scale);
                }
            }
        }
    }
}
