package io.adastream.models.shift;

import io.adastream.models.util.SplitMix64;

/**
 * ImageNet-C {@code motion_blur}, as re-implemented without ImageMagick by {@code imagecorruptions}
 * ({@code _motion_blur}): the image is averaged over {@code 2·radius + 1} copies shifted by i = 0, 1, ... pixels
 * along a random angle in [-45°, 45°), weighted by a one-sided Gaussian {@code exp(-i² / 2σ²)} (normalized), with
 * edge replication. (radius, σ) = [(10, 1), (10, 1.5), (10, 2), (10, 2.5), (12, 3)] from Tiny-ImageNet-C
 * ({@code make_tinyimagenet_c.py}, 64x64; ImageNet-C 224x224: [(10, 3), (15, 5), (15, 8), (15, 12), (20, 15)]).
 * Adaptation: radius and σ are scaled by {@code min(w, h) / 64}.
 */
final class MotionBlur implements CorruptionKernel {
    static final float[] RADIUS = {10f, 10f, 10f, 10f, 12f};
    static final float[] SIGMA = {1f, 1.5f, 2f, 2.5f, 3f};

    @Override
    public void apply(float[] src, float[] dst, int width, int height, int severity, SplitMix64 rng) {
        double angle = Math.toRadians(-45 + 90 * rng.nextDouble());
        float scale = Pixels.spatialScale(width, height);
        int taps = 2 * Math.max(1, Math.round(RADIUS[severity - 1] * scale)) + 1;
        double sigma = SIGMA[severity - 1] * scale;
        int[] dxs = new int[taps];
        int[] dys = new int[taps];
        float[] weights = new float[taps];
        double sum = 0;
        int used = 0;
        for (int i = 0; i < taps; i++) {
            int dy = (int) Math.ceil(i * Math.sin(angle) - 0.5);
            int dx = (int) Math.ceil(i * Math.cos(angle) - 0.5);
            if (Math.abs(dy) >= height || Math.abs(dx) >= width) {
                break;
            }
            dxs[i] = dx;
            dys[i] = dy;
            weights[i] = (float) Math.exp(-(double) i * i / (2 * sigma * sigma));
            sum += weights[i];
            used++;
        }
        double allWeights = sum;
        for (int i = used; i < taps; i++) {
            allWeights += Math.exp(-(double) i * i / (2 * sigma * sigma));
        }
        for (int i = 0; i < used; i++) {
            weights[i] = (float) (weights[i] / allWeights);
        }
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                float r = 0f;
                float g = 0f;
                float b = 0f;
                for (int i = 0; i < used; i++) {
                    int s = (Pixels.clampIndex(y + dys[i], height) * width + Pixels.clampIndex(x + dxs[i], width)) * 3;
                    r += weights[i] * src[s];
                    g += weights[i] * src[s + 1];
                    b += weights[i] * src[s + 2];
                }
                int o = (y * width + x) * 3;
                dst[o] = Pixels.clamp01(r);
                dst[o + 1] = Pixels.clamp01(g);
                dst[o + 2] = Pixels.clamp01(b);
            }
        }
    }
}
