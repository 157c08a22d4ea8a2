package io.adastream.models.task;

import java.nio.FloatBuffer;

/** Per-pixel argmax of segmentation logits laid out [C, H, W] into a class mask (row-major H*W). */
public final class SegmentationDecoder {
    private SegmentationDecoder() {
    }

    /**
     * Writes the index of the largest of the {@code classes} logits of each pixel into {@code mask}; ties go to the
     * lower class. {@code offset} is where this frame's [C, H, W] block starts in {@code logits}.
     */
    public static void argmax(FloatBuffer logits, int offset, int classes, int height, int width, byte[] mask) {
        int plane = height * width;
        if (classes < 1 || classes > 256) {
            throw new IllegalArgumentException("classes must be 1..256: " + classes);
        }
        if (mask.length < plane || offset < 0 || offset + (long) classes * plane > logits.limit()) {
            throw new IllegalArgumentException("buffers too small for " + classes + "x" + height + "x" + width);
        }
        for (int i = 0; i < plane; i++) {
            float best = logits.get(offset + i);
            int bestClass = 0;
            for (int c = 1; c < classes; c++) {
                float v = logits.get(offset + c * plane + i);
                if (v > best) {
                    best = v;
                    bestClass = c;
                }
            }
            mask[i] = (byte) bestClass;
        }
    }
}
