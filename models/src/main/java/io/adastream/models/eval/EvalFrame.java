package io.adastream.models.eval;

import io.adastream.models.metrics.LabeledBox;

import java.util.List;

/**
 * One frame of an evaluation stream at the model's input size: 8-bit RGB pixels packed {@code 0xRRGGBB}
 * (row-major, as a camera would deliver them), the per-pixel class mask and the boxes of the visible objects.
 * The arrays are shared, not copied: nobody modifies them.
 */
public record EvalFrame(int width, int height, int[] packedRgb, byte[] classMask, List<LabeledBox> boxes) {
    public EvalFrame {
        if (packedRgb.length != width * height || classMask.length != width * height) {
            throw new IllegalArgumentException("pixels and mask must both have " + width + "x" + height + " entries");
        }
        boxes = List.copyOf(boxes);
    }
}
