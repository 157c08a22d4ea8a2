package io.adastream.models.task;

import java.nio.FloatBuffer;

/**
 * Writes pixels into an NCHW float buffer slot as {@code (value / 255 - mean[c]) / std[c]} per channel (R, G, B),
 * using absolute puts at an offset so a batch slot is filled in place. No per-pixel allocation.
 */
public final class TensorNormalizer {
    /** ImageNet statistics, the usual choice for ImageNet-pretrained backbones. */
    public static final TensorNormalizer IMAGENET =
            new TensorNormalizer(new float[]{0.485f, 0.456f, 0.406f}, new float[]{0.229f, 0.224f, 0.225f});
    /** Values in [0, 1], no centring. */
    public static final TensorNormalizer UNIT = new TensorNormalizer(new float[]{0f, 0f, 0f}, new float[]{1f, 1f, 1f});

    private final float[] mean;
    private final float[] invStd;

    public TensorNormalizer(float[] mean, float[] std) {
        if (mean.length != 3 || std.length != 3) {
            throw new IllegalArgumentException("need 3 means and 3 stds");
        }
        this.mean = mean.clone();
        this.invStd = new float[3];
        for (int c = 0; c < 3; c++) {
            if (!(std[c] > 0f)) {
                throw new IllegalArgumentException("std must be positive: " + std[c]);
            }
            invStd[c] = 1f / std[c];
        }
    }

    /** Packed 0xRRGGBB pixels (row-major, {@code width * height}) into planes at {@code offset}. */
    public void packedRgbToNchw(int[] packed, int width, int height, FloatBuffer dst, int offset) {
        int plane = width * height;
        checkRoom(dst, offset, plane);
        float r0 = mean[0];
        float g0 = mean[1];
        float b0 = mean[2];
        float rs = invStd[0] / 255f;
        float gs = invStd[1] / 255f;
        float bs = invStd[2] / 255f;
        float rm = r0 * invStd[0];
        float gm = g0 * invStd[1];
        float bm = b0 * invStd[2];
        for (int i = 0; i < plane; i++) {
            int p = packed[i];
            dst.put(offset + i, ((p >> 16) & 0xFF) * rs - rm);
            dst.put(offset + plane + i, ((p >> 8) & 0xFF) * gs - gm);
            dst.put(offset + 2 * plane + i, (p & 0xFF) * bs - bm);
        }
    }

    /** HWC interleaved RGB floats in [0, 1] (e.g. a synthetic scene) into planes at {@code offset}. */
    public void rgbHwcToNchw(float[] rgb, int width, int height, FloatBuffer dst, int offset) {
        int plane = width * height;
        if (rgb.length < plane * 3) {
            throw new IllegalArgumentException("expected " + plane * 3 + " values, got " + rgb.length);
        }
        checkRoom(dst, offset, plane);
        for (int i = 0, s = 0; i < plane; i++, s += 3) {
            dst.put(offset + i, (rgb[s] - mean[0]) * invStd[0]);
            dst.put(offset + plane + i, (rgb[s + 1] - mean[1]) * invStd[1]);
            dst.put(offset + 2 * plane + i, (rgb[s + 2] - mean[2]) * invStd[2]);
        }
    }

    private static void checkRoom(FloatBuffer dst, int offset, int plane) {
        if (offset < 0 || offset + 3L * plane > dst.limit()) {
            throw new IndexOutOfBoundsException("slot [" + offset + ", " + (offset + 3L * plane)
                    + ") outside buffer limit " + dst.limit());
        }
    }
}
