package io.adastream.models.task;

/**
 * How an input image of {@code sourceWidth x sourceHeight} was placed into a model input of
 * {@code targetWidth x targetHeight}: scaled by (scaleX, scaleY) and offset by (padX, padY). Maps model-input
 * coordinates back to input-image pixels.
 */
public record LetterboxTransform(int sourceWidth, int sourceHeight, int targetWidth, int targetHeight,
                                 float scaleX, float scaleY, float padX, float padY) {

    /** Keeps the aspect ratio: one scale for both axes, the content centred and the rest padded. */
    public static LetterboxTransform letterbox(int sourceWidth, int sourceHeight, int targetWidth, int targetHeight) {
        checkSizes(sourceWidth, sourceHeight, targetWidth, targetHeight);
        float scale = Math.min((float) targetWidth / sourceWidth, (float) targetHeight / sourceHeight);
        int contentWidth = Math.max(1, Math.round(sourceWidth * scale));
        int contentHeight = Math.max(1, Math.round(sourceHeight * scale));
        int padX = (targetWidth - contentWidth) / 2;
        int padY = (targetHeight - contentHeight) / 2;
        return new LetterboxTransform(sourceWidth, sourceHeight, targetWidth, targetHeight,
                (float) contentWidth / sourceWidth, (float) contentHeight / sourceHeight, padX, padY);
    }

    /** Plain resize: each axis scaled independently to fill the target, no padding. */
    public static LetterboxTransform stretch(int sourceWidth, int sourceHeight, int targetWidth, int targetHeight) {
        checkSizes(sourceWidth, sourceHeight, targetWidth, targetHeight);
        return new LetterboxTransform(sourceWidth, sourceHeight, targetWidth, targetHeight,
                (float) targetWidth / sourceWidth, (float) targetHeight / sourceHeight, 0f, 0f);
    }

    /** Width of the scaled image content inside the target (the rest is padding). */
    public int contentWidth() {
        return Math.round(sourceWidth * scaleX);
    }

    public int contentHeight() {
        return Math.round(sourceHeight * scaleY);
    }

    public float toSourceX(float targetX) {
        return (targetX - padX) / scaleX;
    }

    public float toSourceY(float targetY) {
        return (targetY - padY) / scaleY;
    }

    /** A box in model-input coordinates mapped to input-image pixels and clipped to the image. */
    public Box toSource(Box target) {
        return new Box(clamp(toSourceX(target.x0()), sourceWidth), clamp(toSourceY(target.y0()), sourceHeight),
                clamp(toSourceX(target.x1()), sourceWidth), clamp(toSourceY(target.y1()), sourceHeight));
    }

    private static float clamp(float v, int max) {
        return v < 0f ? 0f : Math.min(v, max);
    }

    private static void checkSizes(int sw, int sh, int tw, int th) {
        if (sw <= 0 || sh <= 0 || tw <= 0 || th <= 0) {
            throw new IllegalArgumentException("sizes must be positive: " + sw + "x" + sh + " -> " + tw + "x" + th);
        }
    }
}
