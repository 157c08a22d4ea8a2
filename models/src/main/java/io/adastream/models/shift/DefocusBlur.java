package io.adastream.models.shift;

import io.adastream.models.util.SplitMix64;

/**
 * ImageNet-C {@code defocus_blur}: each channel filtered with an aliased disk kernel of radius r (pixels whose
 * integer offset satisfies x² + y² ≤ r², normalized), smoothed by a 3x3 Gaussian of sigma a, with OpenCV's
 * reflect-101 border. (r, a) = [(0.5, 0.6), (1, 0.1), (1.5, 0.1), (2.5, 0.01), (3, 0.1)] from Tiny-ImageNet-C
 * ({@code make_tinyimagenet_c.py}, 64x64; ImageNet-C 224x224: [(3, 0.1), (4, 0.5), (6, 0.5), (8, 0.5),
 * (10, 0.5)]). Adaptation: r is scaled by {@code min(w, h) / 64}; a is not.
 */
final class DefocusBlur implements CorruptionKernel {
    static final float[] RADIUS = {0.5f, 1f, 1.5f, 2.5f, 3f};
    static final float[] ALIAS_SIGMA = {0.6f, 0.1f, 0.1f, 0.01f, 0.1f};

    @Override
    public void apply(float[] src, float[] dst, int width, int height, int severity, SplitMix64 rng) {
        float radius = RADIUS[severity - 1] * Pixels.spatialScale(width, height);
        int half = (int) Math.ceil(radius) + 1;
        int size = 2 * half + 1;
        float[] kernel = kernel(radius, ALIAS_SIGMA[severity - 1], half);
        Pixels.filter(src, dst, width, height, kernel, size);
    }

    /** The disk kernel, already smoothed with the 3x3 Gaussian; sums to 1. */
    static float[] kernel(float radius, float aliasSigma, int half) {
        int size = 2 * half + 1;
        float[] disk = new float[size * size];
        float sum = 0f;
        for (int y = -half; y <= half; y++) {
            for (int x = -half; x <= half; x++) {
                if (x * x + y * y <= radius * radius) {
                    disk[(y + half) * size + x + half] = 1f;
                    sum++;
                }
            }
        }
        double g1 = Math.exp(-1.0 / (2.0 * aliasSigma * aliasSigma));
        float side = (float) (g1 / (1 + 2 * g1));
        float centre = (float) (1 / (1 + 2 * g1));
        float[] g = {side, centre, side};
        float[] smoothed = new float[size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                float v = disk[y * size + x] / sum;
                if (v == 0f) {
                    continue;
                }
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int yy = y + dy;
                        int xx = x + dx;
                        if (yy >= 0 && yy < size && xx >= 0 && xx < size) {
                            smoothed[yy * size + xx] += v * g[dy + 1] * g[dx + 1];
                        }
                    }
                }
            }
        }
        return smoothed;
    }
}
