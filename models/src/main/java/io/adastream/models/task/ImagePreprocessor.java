package io.adastream.models.task;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.nio.FloatBuffer;

/**
 * Turns a decoded RGB image into one normalized NCHW slot of a model input: letterbox (or stretch) with bilinear
 * resampling, then per-channel normalization. Reuses its work buffer, so one instance serves one thread.
 */
public final class ImagePreprocessor {
    /** The grey (114, 114, 114) that YOLO-style letterboxing pads with. */
    public static final int DEFAULT_PAD_RGB = 0x727272;

    private final int inputWidth;
    private final int inputHeight;
    private final boolean keepAspect;
    private final TensorNormalizer normalizer;
    private final int padRgb;
    private final int[] resized;
    private int[] sourceScratch = new int[0];

    public ImagePreprocessor(int inputWidth, int inputHeight, boolean keepAspect, TensorNormalizer normalizer, int padRgb) {
        if (inputWidth <= 0 || inputHeight <= 0) {
            throw new IllegalArgumentException("input size must be positive");
        }
        this.inputWidth = inputWidth;
        this.inputHeight = inputHeight;
        this.keepAspect = keepAspect;
        this.normalizer = normalizer;
        this.padRgb = padRgb;
        this.resized = new int[inputWidth * inputHeight];
    }

    /** Elements of one slot: 3 x inputHeight x inputWidth. */
    public int slotSize() {
        return 3 * inputWidth * inputHeight;
    }

    /**
     * Fills the slot starting at {@code offset} of {@code dst} and returns the transform that maps model-input
     * coordinates back to this image's pixels.
     */
    public LetterboxTransform preprocess(BufferedImage image, FloatBuffer dst, int offset) {
        int w = image.getWidth();
        int h = image.getHeight();
        LetterboxTransform transform = keepAspect
                ? LetterboxTransform.letterbox(w, h, inputWidth, inputHeight)
                : LetterboxTransform.stretch(w, h, inputWidth, inputHeight);
        ImageResizer.resize(packedPixels(image), transform, padRgb, resized);
        normalizer.packedRgbToNchw(resized, inputWidth, inputHeight, dst, offset);
        return transform;
    }

    private int[] packedPixels(BufferedImage image) {
        if (image.getType() == BufferedImage.TYPE_INT_RGB || image.getType() == BufferedImage.TYPE_INT_ARGB) {
            if (image.getRaster().getDataBuffer() instanceof DataBufferInt ints
                    && image.getRaster().getParent() == null) {
                return ints.getData();
            }
        }
        int n = image.getWidth() * image.getHeight();
        if (sourceScratch.length < n) {
            sourceScratch = new int[n];
        }
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), sourceScratch, 0, image.getWidth());
    }
}
