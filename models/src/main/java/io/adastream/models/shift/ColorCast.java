package io.adastream.models.shift;

import io.adastream.models.util.SplitMix64;

/**
 * {@code color_cast} (AdaStream's own; ImageNet-C has no colour-cast corruption): a wrong white balance, modelled
 * as per-channel gains {@code g_c = 1 + s · cos(θ - 2πc/3)} for c = R, G, B, clipped to [0, 1]. The cast hue θ is
 * drawn uniformly from the seed; the strength s = [0.1, 0.2, 0.3, 0.4, 0.5] grows with severity. The gains sum to 3,
 * so the cast moves colour balance, not overall brightness (up to clipping).
 */
final class ColorCast implements CorruptionKernel {
    static final float[] STRENGTH = {0.1f, 0.2f, 0.3f, 0.4f, 0.5f};

    @Override
    public void apply(float[] src, float[] dst, int width, int height, int severity, SplitMix64 rng) {
        double hue = 2 * Math.PI * rng.nextDouble();
        float strength = STRENGTH[severity - 1];
        float[] gains = new float[3];
        for (int c = 0; c < 3; c++) {
            gains[c] = (float) (1 + strength * Math.cos(hue - 2 * Math.PI * c / 3));
        }
        for (int o = 0; o < src.length; o += 3) {
            dst[o] = Pixels.clamp01(src[o] * gains[0]);
            dst[o + 1] = Pixels.clamp01(src[o + 1] * gains[1]);
            dst[o + 2] = Pixels.clamp01(src[o + 2] * gains[2]);
        }
    }
}
