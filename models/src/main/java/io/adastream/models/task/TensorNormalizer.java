package io.adastream.models.task;

import io.adastream.models.spec.ModelSpec;

import java.nio.FloatBuffer;

/**
 * Writes pixels into an NCHW float buffer slot as {@code x * scale[c] + offset[c]} per model channel c, x the
 * 0..255 value of that channel's colour; the model's channels are R, G, B or B, G, R. Uses absolute puts at an
 * offset so a batch slot is filled in place, no per-pixel allocation.
 */
public final class TensorNormalizer {
    /** ImageNet statistics, the usual choice for ImageNet-pretrained backbones. */
    public static final TensorNormalizer IMAGENET =
            new TensorNormalizer(new float[]{0.485f, 0.456f, 0.406f}, new float[]{0.229f, 0.224f, 0.225f});
    /** Values in [0, 1], no centring. */
    public static final TensorNormalizer UNIT = new TensorNormalizer(new float[]{0f, 0f, 0f}, new float[]{1f, 1f, 1f});

    /** Bit shift of the colour feeding each model plane, from packed 0xRRGGBB. */
    private final int[] shift;
    private final float[] scale;
    private final float[] offset;
    /** For float inputs in [0, 1]: per model channel, the colour index in the HWC triple. */
    private final int[] colour;
    /** For float inputs v in [0, 1]: the same map written {@code (v - unitMean[c]) * unitInvStd[c]}. */
    private final float[] unitMean = new float[3];
    private final float[] unitInvStd = new float[3];

    /** {@code (x / 255 - mean[c]) / std[c]}, channels R, G, B. */
    public TensorNormalizer(float[] mean, float[] std) {
        this(false, unitMeanStdScale(mean, std), unitMeanStdOffset(mean, std));
        for (int c = 0; c < 3; c++) {
            unitMean[c] = mean[c];
            unitInvStd[c] = 1f / std[c];
        }
    }

    /**
     * @param bgr    whether model plane 0 is blue (else red)
     * @param scale  per model plane, the factor of the 0..255 value
     * @param offset per model plane, added after scaling
     */
    public TensorNormalizer(boolean bgr, float[] scale, float[] offset) {
        if (scale.length != 3 || offset.length != 3) {
            throw new IllegalArgumentException("need 3 scales and 3 offsets");
        }
        for (int c = 0; c < 3; c++) {
            if (!Float.isFinite(scale[c]) || scale[c] == 0f || !Float.isFinite(offset[c])) {
                throw new IllegalArgumentException("scale must be finite and non-zero, offset finite: "
                        + scale[c] + ", " + offset[c]);
            }
        }
        this.scale = scale.clone();
        this.offset = offset.clone();
        this.shift = bgr ? new int[]{0, 8, 16} : new int[]{16, 8, 0};
        this.colour = bgr ? new int[]{2, 1, 0} : new int[]{0, 1, 2};
        for (int c = 0; c < 3; c++) {
            unitInvStd[c] = scale[c] * 255f;
            unitMean[c] = -offset[c] / unitInvStd[c];
        }
    }

    /** The normalizer a spec input names (channel order and normalization). */
    public static TensorNormalizer forInput(ModelSpec.Input input) {
        return new TensorNormalizer(input.bgr(), input.normalization().scale(input), input.normalization().offset(input));
    }

    /** Packed 0xRRGGBB pixels (row-major, {@code width * height}) into planes at {@code offset}. */
    public void packedRgbToNchw(int[] packed, int width, int height, FloatBuffer dst, int offset) {
        int plane = width * height;
        checkRoom(dst, offset, plane);
        for (int c = 0; c < 3; c++) {
            int s = shift[c];
            float a = scale[c];
            float b = this.offset[c];
            int base = offset + c * plane;
            for (int i = 0; i < plane; i++) {
                dst.put(base + i, ((packed[i] >> s) & 0xFF) * a + b);
            }
        }
    }

    /** HWC interleaved RGB floats in [0, 1] (e.g. a synthetic scene) into planes at {@code offset}. */
    public void rgbHwcToNchw(float[] rgb, int width, int height, FloatBuffer dst, int offset) {
        int plane = width * height;
        if (rgb.length < plane * 3) {
            throw new IllegalArgumentException("expected " + plane * 3 + " values, got " + rgb.length);
        }
        checkRoom(dst, offset, plane);
        for (int c = 0; c < 3; c++) {
            float m = unitMean[c];
            float k = unitInvStd[c];
            int base = offset + c * plane;
            for (int i = 0, s = colour[c]; i < plane; i++, s += 3) {
                dst.put(base + i, (rgb[s] - m) * k);
            }
        }
    }

    private static float[] unitMeanStdScale(float[] mean, float[] std) {
        checkMeanStd(mean, std);
        float[] s = new float[3];
        for (int c = 0; c < 3; c++) {
            s[c] = (1f / std[c]) / 255f;
        }
        return s;
    }

    private static float[] unitMeanStdOffset(float[] mean, float[] std) {
        checkMeanStd(mean, std);
        float[] o = new float[3];
        for (int c = 0; c < 3; c++) {
            o[c] = -(mean[c] * (1f / std[c]));
        }
        return o;
    }

    private static void checkMeanStd(float[] mean, float[] std) {
        if (mean.length != 3 || std.length != 3) {
            throw new IllegalArgumentException("need 3 means and 3 stds");
        }
        for (float s : std) {
            if (!(s > 0f)) {
                throw new IllegalArgumentException("std must be positive: " + s);
            }
        }
    }

    private static void checkRoom(FloatBuffer dst, int offset, int plane) {
        if (offset < 0 || offset + 3L * plane > dst.limit()) {
            throw new IndexOutOfBoundsException("slot [" + offset + ", " + (offset + 3L * plane)
                    + ") outside buffer limit " + dst.limit());
        }
    }
}
