package io.adastream.trainer.camvid;

import io.adastream.models.data.LabelDownscaler;
import io.adastream.models.task.ImagePreprocessor;
import io.adastream.models.task.TensorNormalizer;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads CamVid frames at model resolution: the image is stretched to {@code width x height} by area averaging and
 * normalized by the service's own {@link ImagePreprocessor} (so training sees what the service feeds), the label PNG
 * (8-bit, one channel, values 0..{@value CamVidClasses#IGNORE_ID}) is reduced by {@link LabelDownscaler}'s majority
 * vote over the same footprints. Not thread-safe.
 */
public final class CamVidLoader {
    private final int width;
    private final int height;
    private final ImagePreprocessor preprocessor;
    private final LabelDownscaler labels = new LabelDownscaler();

    public CamVidLoader(int width, int height, float[] mean, float[] std) {
        this.width = width;
        this.height = height;
        this.preprocessor = new ImagePreprocessor(width, height, false, true, new TensorNormalizer(mean, std), 0);
    }

    /** Loads {@code files} in the given order. */
    public CamVidSet load(List<CamVidFrameFile> files) {
        List<CamVidFrame> frames = new ArrayList<>(files.size());
        for (CamVidFrameFile f : files) {
            frames.add(load(f));
        }
        return new CamVidSet(frames, width, height);
    }

    /** One frame; a clear error names the file when the image or label cannot be read or do not match. */
    public CamVidFrame load(CamVidFrameFile file) {
        BufferedImage image = read(file.image().toFile());
        BufferedImage label = read(file.label().toFile());
        if (image.getWidth() != label.getWidth() || image.getHeight() != label.getHeight()) {
            throw new IllegalArgumentException(file.label() + " is " + label.getWidth() + "x" + label.getHeight()
                    + " but its frame is " + image.getWidth() + "x" + image.getHeight());
        }
        FloatBuffer input = FloatBuffer.allocate(preprocessor.slotSize());
        preprocessor.preprocess(image, input, 0);
        byte[] mask = labels.resize(labelValues(label, file), label.getWidth(), label.getHeight(), width, height);
        return new CamVidFrame(file.name(), input.array(), mask);
    }

    /** The class ids of a one-channel label image, checked to be 0..{@value CamVidClasses#IGNORE_ID}. */
    static byte[] labelValues(BufferedImage label, CamVidFrameFile file) {
        Raster raster = label.getRaster();
        if (raster.getNumBands() != 1) {
            throw new IllegalArgumentException(file.label() + " has " + raster.getNumBands()
                    + " channels; a CamVid label is a one-channel class-id PNG");
        }
        int w = label.getWidth();
        int h = label.getHeight();
        int[] values = raster.getSamples(0, 0, w, h, 0, new int[w * h]);
        byte[] mask = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            int v = values[i];
            if (v < 0 || v > CamVidClasses.IGNORE_ID) {
                throw new IllegalArgumentException(file.label() + ": label value " + v + " at (" + (i % w) + ", "
                        + (i / w) + ") is outside 0.." + CamVidClasses.IGNORE_ID);
            }
            mask[i] = (byte) v;
        }
        return mask;
    }

    private static BufferedImage read(java.io.File file) {
        try {
            BufferedImage image = ImageIO.read(file);
            if (image == null) {
                throw new IllegalArgumentException(file + " is not an image ImageIO can read");
            }
            return image;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
