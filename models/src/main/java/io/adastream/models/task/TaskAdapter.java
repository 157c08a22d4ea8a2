package io.adastream.models.task;

import io.adastream.models.spec.ModelSpec;

import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;

/**
 * Turns frames into a model's input tensor and its output tensor into a {@link TaskResult}, as the model's spec
 * says. Reuses its buffers: use one per thread.
 */
public abstract sealed class TaskAdapter permits TaskAdapter.SegmentationAdapter, TaskAdapter.DetectionAdapter {

    protected final ModelSpec spec;
    private final ImagePreprocessor preprocessor;

    TaskAdapter(ModelSpec spec) {
        this.spec = spec;
        this.preprocessor = ImagePreprocessor.forInput(spec.input());
    }

    /** The adapter for a spec's task. */
    public static TaskAdapter forSpec(ModelSpec spec) {
        return spec.isSegmentation() ? new SegmentationAdapter(spec) : new DetectionAdapter(spec);
    }

    public ModelSpec spec() {
        return spec;
    }

    /** Elements of one input slot: 3 x H x W. */
    public int slotSize() {
        return preprocessor.slotSize();
    }

    /** Resizes and normalizes an image into the slot at {@code offset}; returns how to map results back. */
    public LetterboxTransform preprocess(BufferedImage image, FloatBuffer input, int offset) {
        return preprocessor.preprocess(image, input, offset);
    }

    /** Copies an already pre-processed CHW tensor of the model's input size into the slot at {@code offset}. */
    public LetterboxTransform copyTensor(float[] chw, FloatBuffer input, int offset) {
        if (chw.length != slotSize()) {
            throw new IllegalArgumentException("tensor has " + chw.length + " values, the model takes " + slotSize());
        }
        input.put(offset, chw);
        return LetterboxTransform.stretch(spec.input().width(), spec.input().height(), spec.input().width(), spec.input().height());
    }

    /** Decodes batch item {@code index} of the model output of the given shape. */
    public abstract TaskResult decode(FloatBuffer output, long[] shape, int index, LetterboxTransform transform);

    /** Per-pixel argmax over [N, K+1, H, W], mapped back to the input image by nearest neighbour. */
    static final class SegmentationAdapter extends TaskAdapter {
        private byte[] modelMask = new byte[0];

        SegmentationAdapter(ModelSpec spec) {
            super(spec);
        }

        @Override
        public TaskResult decode(FloatBuffer output, long[] shape, int index, LetterboxTransform t) {
            if (shape.length != 4 || shape[1] != spec.classes().size()) {
                throw new IllegalArgumentException("segmentation output must be [N, " + spec.classes().size()
                        + ", H, W], got " + java.util.Arrays.toString(shape));
            }
            int classes = (int) shape[1];
            int h = (int) shape[2];
            int w = (int) shape[3];
            if (modelMask.length != h * w) {
                modelMask = new byte[h * w];
            }
            SegmentationDecoder.argmax(output, index * classes * h * w, classes, h, w, modelMask);
            byte[] mask = new byte[t.sourceWidth() * t.sourceHeight()];
            for (int y = 0; y < t.sourceHeight(); y++) {
                int ty = clamp((int) ((y + 0.5f) * t.scaleY() + t.padY()), h);
                for (int x = 0; x < t.sourceWidth(); x++) {
                    int tx = clamp((int) ((x + 0.5f) * t.scaleX() + t.padX()), w);
                    mask[y * t.sourceWidth() + x] = modelMask[ty * w + tx];
                }
            }
            return new TaskResult.Segmentation(t.sourceWidth(), t.sourceHeight(), mask);
        }

        private static int clamp(int v, int size) {
            return v < 0 ? 0 : Math.min(v, size - 1);
        }
    }

    /** The grid detector format of {@link GridDetectionDecoder}. */
    static final class DetectionAdapter extends TaskAdapter {
        private final GridDetectionDecoder decoder;

        DetectionAdapter(ModelSpec spec) {
            super(spec);
            ModelSpec.DetectionSettings d = spec.detection();
            decoder = new GridDetectionDecoder(spec.outputClasses(), spec.input().width(), spec.input().height(),
                    d.scoreThreshold(), d.iouThreshold(), d.maxDetections());
        }

        @Override
        public TaskResult decode(FloatBuffer output, long[] shape, int index, LetterboxTransform t) {
            if (shape.length != 4 || shape[1] != decoder.channels()) {
                throw new IllegalArgumentException("detection output must be [N, " + decoder.channels()
                        + ", Gh, Gw], got " + java.util.Arrays.toString(shape));
            }
            return new TaskResult.Detections(t.sourceWidth(), t.sourceHeight(),
                    decoder.decode(output, index, (int) shape[2], (int) shape[3], t));
        }
    }
}
