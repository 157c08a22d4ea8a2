package io.adastream.models.task;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Encodes class masks (row-major byte[] H*W) to COCO run-length encoding per class, and decodes them back. */
public final class RunLengthEncoding {
    private RunLengthEncoding() {
    }

    /** The RLE of the pixels of {@code mask} equal to {@code classId}. */
    public static Rle encode(byte[] mask, int width, int height, int classId) {
        checkSize(mask.length, width, height);
        int[] counts = new int[8];
        int n = 0;
        boolean inside = false;
        int run = 0;
        for (int x = 0; x < width; x++) {
            for (int y = 0; y < height; y++) {
                boolean on = (mask[y * width + x] & 0xFF) == classId;
                if (on != inside) {
                    if (n == counts.length) {
                        counts = Arrays.copyOf(counts, n * 2);
                    }
                    counts[n++] = run;
                    run = 0;
                    inside = on;
                }
                run++;
            }
        }
        if (n == counts.length) {
            counts = Arrays.copyOf(counts, n + 1);
        }
        counts[n++] = run;
        return new Rle(height, width, Arrays.copyOf(counts, n));
    }

    /** One RLE per class id present in the mask, in increasing class order (background included if present). */
    public static Map<Integer, Rle> encodeAll(byte[] mask, int width, int height) {
        checkSize(mask.length, width, height);
        boolean[] present = new boolean[256];
        for (byte b : mask) {
            present[b & 0xFF] = true;
        }
        Map<Integer, Rle> out = new LinkedHashMap<>();
        for (int c = 0; c < 256; c++) {
            if (present[c]) {
                out.put(c, encode(mask, width, height, c));
            }
        }
        return out;
    }

    /** The binary mask (row-major, 1 = foreground) of an RLE; rejects counts that do not cover h*w exactly. */
    public static byte[] decode(Rle rle) {
        int w = rle.width();
        int h = rle.height();
        byte[] mask = new byte[w * h];
        int[] counts = rle.counts();
        long position = 0;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] < 0) {
                throw new IllegalArgumentException("negative run " + counts[i]);
            }
            if (position + counts[i] > (long) w * h) {
                throw new IllegalArgumentException("runs exceed " + h + "x" + w + " pixels");
            }
            if ((i & 1) == 1) {
                for (long p = position; p < position + counts[i]; p++) {
                    int x = (int) (p / h);
                    int y = (int) (p % h);
                    mask[y * w + x] = 1;
                }
            }
            position += counts[i];
        }
        if (position != (long) w * h) {
            throw new IllegalArgumentException("runs cover " + position + " of " + (long) w * h + " pixels");
        }
        return mask;
    }

    private static void checkSize(int length, int width, int height) {
        if (width <= 0 || height <= 0 || length != width * height) {
            throw new IllegalArgumentException("mask of " + length + " bytes is not " + width + "x" + height);
        }
    }
}
