package io.adastream.models.task;

/**
 * How a model writes a box's four numbers: corners (x1, y1, x2, y2) or centre and size (cx, cy, w, h), in model-input
 * pixels or in fractions of the input size.
 */
public record BoxCoding(boolean corners, boolean normalized) {
    /** Centre and size in input pixels (YOLO exports). */
    public static final BoxCoding CENTRE_PIXELS = new BoxCoding(false, false);

    /** The box in model-input pixels. */
    public Box toInput(float a, float b, float c, float d, int inputWidth, int inputHeight) {
        if (normalized) {
            a *= inputWidth;
            b *= inputHeight;
            c *= inputWidth;
            d *= inputHeight;
        }
        return corners ? new Box(Math.min(a, c), Math.min(b, d), Math.max(a, c), Math.max(b, d)) : Box.centred(a, b, c, d);
    }
}
