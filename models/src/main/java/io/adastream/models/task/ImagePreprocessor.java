package io.adastream.models.task;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import io.adastream.models.spec.ModelSpec;

import java.nio.FloatBuffer;

/**
 * Turns a decoded RGB image into one normalized NCHW slot of a model input: letterbox (or stretch) with bilinear or
 * area resampling, then per-channel normalization in the model's channel order. Reuses its work buffers, so one
 * instance serves one thread.
 */
public final class ImagePreprocessor {
    /** The grey (114, 114, 114) that YOLO-style letterboxing pads with. */
    public static final int DEFAULT_PAD_RGB = ModelSpec.Input.DEFAULT_PAD_RGB;

    private final int inputWidth;
    private final int inputHeight;
    private final boolean keepAspect;
    private final TensorNormalizer normalizer;
    private final int padRgb;
    /** Area resampling's tables and buffers, or null for bilinear. */
    private final AreaResizer area;
    private final int[] resized;
    private int[] sourceScratch = new int[0];

    /** Bilinear resampling. */
    public ImagePreprocessor(int inputWidth, int inputHeight, boolean keepAspect, TensorNormalizer normalizer, int padRgb) {
        this(inputWidth, inputHeight, keepAspect, false, normalizer, padRgb);
    }

    /** @param areaResize resample by area averaging (else bilinearly) */
    public ImagePreprocessor(int inputWidth, int inputHeight, boolean keepAspect, boolean areaResize,
                             TensorNormalizer normalizer, int padRgb) {
        if (inputWidth <= 0 || inputHeight <= 0) {
            throw new IllegalArgumentException("input size must be positive");
        }
        this.inputWidth = inputWidth;
        this.inputHeight = inputHeight;
        this.keepAspect = keepAspect;
        this.normalizer = normalizer;
        this.padRgb = padRgb;
        this.area = areaResize ? new AreaResizer() : null;
        this.resized = new int[inputWidth * inputHeight];
    }

    /** The pre-processing a spec's input names: size, resize rule, resampling, channel order, normalization. */
    public static ImagePreprocessor forInput(ModelSpec.Input input) {
        return new ImagePreprocessor(input.width(), input.height(), input.letterbox(), input.areaResize(),
                TensorNormalizer.forInput(input), input.padRgb());
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
        if (area != null) {
            area.resize(packedPixels(image), transform, padRgb, resized);
        } else {
            ImageResizer.resize(packedPixels(image), transform, padRgb, resized);
        }
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
