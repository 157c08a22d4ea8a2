package io.adastream.models.shift;

/** Shared small helpers for the corruption kernels. */
final class Pixels {
    /** Tiny-ImageNet-C was generated at 64x64; spatial constants are scaled by {@code min(w, h) / 64}. */
    static final float REFERENCE_SIZE = 64f;

    private Pixels() {
    }

    static float clamp01(float v) {
        return v < 0f ? 0f : Math.min(v, 1f);
    }

    static float clamp01(double v) {
        return v < 0 ? 0f : (float) Math.min(v, 1);
    }

    static float spatialScale(int width, int height) {
        return Math.min(width, height) / REFERENCE_SIZE;
    }

    /** Index reflection without repeating the edge ({@code BORDER_REFLECT_101} of OpenCV): -1 maps to 1. */
    static int reflect101(int i, int n) {
        if (n == 1) {
            return 0;
        }
        int period = 2 * (n - 1);
        int m = Math.floorMod(i, period);
        return m < n ? m : period - m;
    }

    static int clampIndex(int i, int n) {
        return i < 0 ? 0 : Math.min(i, n - 1);
    }

    /**
     * 2-D correlation of each channel of an HWC image with a square {@code size x size} kernel (row-major, odd size)
     * and reflect-101 borders, as {@code cv2.filter2D} with its default border does; results clipped to [0, 1].
     */
    static void filter(float[] src, float[] dst, int width, int height, float[] kernel, int size) {
        int half = size / 2;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                float r = 0f;
                float g = 0f;
                float b = 0f;
                for (int ky = 0; ky < size; ky++) {
                    int row = reflect101(y + ky - half, height) * width;
                    int k = ky * size;
                    for (int kx = 0; kx < size; kx++) {
                        float weight = kernel[k + kx];
                        if (weight == 0f) {
                            continue;
                        }
                        int s = (row + reflect101(x + kx - half, width)) * 3;
                        r += weight * src[s];
                        g += weight * src[s + 1];
                        b += weight * src[s + 2];
                    }
                }
                int o = (y * width + x) * 3;
                dst[o] = clamp01(r);
                dst[o + 1] = clamp01(g);
                dst[o + 2] = clamp01(b);
            }
        }
    }
}
