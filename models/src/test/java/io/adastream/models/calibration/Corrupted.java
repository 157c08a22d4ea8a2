package io.adastream.models.calibration;

import io.adastream.models.shift.Corruption;

import java.awt.image.BufferedImage;
import java.util.function.UnaryOperator;

/** A corruption applied to a decoded image at its own resolution, seeded per image size. */
record Corrupted(Corruption corruption, int severity) implements UnaryOperator<BufferedImage> {

    @Override
    public BufferedImage apply(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] packed = image.getRGB(0, 0, w, h, null, 0, w);
        float[] rgb = new float[w * h * 3];
        for (int i = 0; i < packed.length; i++) {
            rgb[3 * i] = ((packed[i] >> 16) & 0xFF) / 255f;
            rgb[3 * i + 1] = ((packed[i] >> 8) & 0xFF) / 255f;
            rgb[3 * i + 2] = (packed[i] & 0xFF) / 255f;
        }
        float[] out = corruption.apply(rgb, w, h, severity, 31L * w + h);
        BufferedImage result = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < packed.length; i++) {
            packed[i] = (byte255(out[3 * i]) << 16) | (byte255(out[3 * i + 1]) << 8) | byte255(out[3 * i + 2]);
        }
        result.setRGB(0, 0, w, h, packed, 0, w);
        return result;
    }

    private static int byte255(float v) {
        return Math.max(0, Math.min(255, Math.round(v * 255f)));
    }
}
