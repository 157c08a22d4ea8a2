package io.adastream.models.synth;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.List;

/**
 * One synthetic frame with its ground truth: RGB pixels (HWC interleaved, values in [0, 1]), the per-pixel class
 * mask (row-major H*W, 0 = background) and the boxes of the sufficiently visible objects. The arrays are not copied:
 * the scene owns them and callers must not modify them.
 */
public record Scene(int width, int height, float[] rgb, byte[] classMask, List<SceneObject> objects) {
    public Scene {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("non-positive size " + width + "x" + height);
        }
        if (rgb.length != width * height * 3) {
            throw new IllegalArgumentException("rgb length " + rgb.length + " != " + width + "*" + height + "*3");
        }
        if (classMask.length != width * height) {
            throw new IllegalArgumentException("mask length " + classMask.length + " != " + width + "*" + height);
        }
        objects = List.copyOf(objects);
    }

    /** The pixels as an 8-bit RGB image (values rounded to the nearest of 0..255). */
    public BufferedImage toImage() {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] packed = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        for (int p = 0, i = 0; p < packed.length; p++, i += 3) {
            packed[p] = (toByte(rgb[i]) << 16) | (toByte(rgb[i + 1]) << 8) | toByte(rgb[i + 2]);
        }
        return image;
    }

    private static int toByte(float v) {
        int b = Math.round(v * 255f);
        return b < 0 ? 0 : Math.min(b, 255);
    }
}
