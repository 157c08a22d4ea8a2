package io.adastream.models.task;

import io.adastream.models.spec.ModelSpec;
import io.adastream.models.spec.OutputFormat;

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

    /** The model output tensors the decoder reads. */
    public java.util.List<String> outputNames() {
        return spec.output().tensorNames(spec.task());
    }

    /** Decodes batch item {@code index} of the model's outputs. */
    public abstract TaskResult decode(ModelOutputs outputs, int index, LetterboxTransform transform);

    /** Decodes batch item {@code index} of a format read from one output tensor of the given shape. */
    public TaskResult decode(FloatBuffer output, long[] shape, int index, LetterboxTransform transform) {
        java.util.List<String> names = outputNames();
        if (names.size() != 1) {
            throw new IllegalStateException("this format reads " + names.size() + " output tensors: " + names);
        }
        return decode(ModelOutputs.of(names.get(0), output, shape), index, transform);
    }

    /**
     * Class logits [N, K, h, w] (argmax, mapped back to the frame by nearest neighbour or by bilinear interpolation
     * of the logits) or class ids [N, H, W] / [N, 1, H, W] (int64, int32 or float; nearest neighbour), at any
     * resolution: the output grid is taken to cover the model input.
     */
    static final class SegmentationAdapter extends TaskAdapter {
        private final String outputName;
        private final boolean classIds;
        private final boolean bilinear;
        private final NumericTensor ids = new NumericTensor();
        private byte[] modelMask = new byte[0];
        private float[] scratch = new float[0];

        SegmentationAdapter(ModelSpec spec) {
            super(spec);
            this.outputName = spec.output().name();
            this.classIds = spec.output().outputFormat(spec.task()) == OutputFormat.CLASS_IDS;
            this.bilinear = !classIds && spec.output().bilinearUpsample();
        }

        @Override
        public TaskResult decode(ModelOutputs outputs, int index, LetterboxTransform t) {
            long[] shape = outputs.shape(outputName);
            int k = spec.classes().size();
            int h;
            int w;
            if (classIds) {
                boolean ok = shape.length == 3 || (shape.length == 4 && shape[1] == 1);
                if (!ok) {
                    throw new IllegalArgumentException("class-id output must be [N, H, W] or [N, 1, H, W], got "
                            + ModelOutputs.describe(shape));
                }
                h = (int) shape[shape.length - 2];
                w = (int) shape[shape.length - 1];
                classIdsOf(ids.bind(outputs, outputName), index, h, w);
            } else {
                FloatBuffer out = outputs.tensor(outputName);
                if (shape.length != 4 || shape[1] != k) {
                    throw new IllegalArgumentException("segmentation output must be [N, " + k + ", h, w], got "
                            + ModelOutputs.describe(shape));
                }
                h = (int) shape[2];
                w = (int) shape[3];
                if (bilinear) {
                    return bilinear(out, index * k * h * w, k, h, w, t);
                }
                if (modelMask.length != h * w) {
                    modelMask = new byte[h * w];
                }
                SegmentationDecoder.argmax(out, index * k * h * w, k, h, w, modelMask);
            }
            // frame pixel centre -> model input coordinate -> output cell
            float toOutX = (float) w / t.targetWidth();
            float toOutY = (float) h / t.targetHeight();
            byte[] mask = new byte[t.sourceWidth() * t.sourceHeight()];
            for (int y = 0; y < t.sourceHeight(); y++) {
                int ty = clamp((int) (((y + 0.5f) * t.scaleY() + t.padY()) * toOutY), h);
                for (int x = 0; x < t.sourceWidth(); x++) {
                    int tx = clamp((int) (((x + 0.5f) * t.scaleX() + t.padX()) * toOutX), w);
                    mask[y * t.sourceWidth() + x] = modelMask[ty * w + tx];
                }
            }
            return new TaskResult.Segmentation(t.sourceWidth(), t.sourceHeight(), mask);
        }

        private void classIdsOf(NumericTensor out, int index, int h, int w) {
            int plane = h * w;
            int base = index * plane;
            if (base < 0 || base + (long) plane > out.limit()) {
                throw new IllegalArgumentException("output too small for item " + index);
            }
            if (modelMask.length != plane) {
                modelMask = new byte[plane];
            }
            int k = spec.classes().size();
            for (int i = 0; i < plane; i++) {
                long id = out.whole(base + i);
                if (id < 0 || id >= k) {
                    throw new IllegalArgumentException("class id " + (id == Long.MIN_VALUE ? "NaN" : id) + " outside 0.."
                            + (k - 1) + " at pixel " + i);
                }
                modelMask[i] = (byte) id;
            }
        }

        /** Argmax of the logits interpolated bilinearly (half-pixel centres, edges clamped) at each frame pixel. */
        private TaskResult bilinear(FloatBuffer out, int base, int k, int h, int w, LetterboxTransform t) {
            int plane = h * w;
            if (base < 0 || base + (long) k * plane > out.limit()) {
                throw new IllegalArgumentException("output too small for " + k + "x" + h + "x" + w);
            }
            float toOutX = (float) w / t.targetWidth();
            float toOutY = (float) h / t.targetHeight();
            int sw = t.sourceWidth();
            if (scratch.length < 3 * sw) {
                scratch = new float[3 * sw];
            }
            // per frame column: left cell, right cell (as floats) and the weight of the right one
            for (int x = 0; x < sw; x++) {
                float ox = Math.max(0f, ((x + 0.5f) * t.scaleX() + t.padX()) * toOutX - 0.5f);
                int x0 = Math.min((int) ox, w - 1);
                scratch[3 * x] = x0;
                scratch[3 * x + 1] = Math.min(x0 + 1, w - 1);
                scratch[3 * x + 2] = Math.min(1f, ox - x0);
            }
            byte[] mask = new byte[sw * t.sourceHeight()];
            for (int y = 0; y < t.sourceHeight(); y++) {
                float oy = Math.max(0f, ((y + 0.5f) * t.scaleY() + t.padY()) * toOutY - 0.5f);
                int y0 = Math.min((int) oy, h - 1);
                int y1 = Math.min(y0 + 1, h - 1);
                float fy = Math.min(1f, oy - y0);
                for (int x = 0; x < sw; x++) {
                    int x0 = (int) scratch[3 * x];
                    int x1 = (int) scratch[3 * x + 1];
                    float fx = scratch[3 * x + 2];
                    int best = 0;
                    float bestValue = Float.NEGATIVE_INFINITY;
                    for (int c = 0; c < k; c++) {
                        int p = base + c * plane;
                        float top = out.get(p + y0 * w + x0) * (1 - fx) + out.get(p + y0 * w + x1) * fx;
                        float bottom = out.get(p + y1 * w + x0) * (1 - fx) + out.get(p + y1 * w + x1) * fx;
                        float v = top * (1 - fy) + bottom * fy;
                        if (v > bestValue) {
                            bestValue = v;
                            best = c;
                        }
                    }
                    mask[y * sw + x] = (byte) best;
                }
            }
            return new TaskResult.Segmentation(sw, t.sourceHeight(), mask);
        }

        private static int clamp(int v, int size) {
            return v < 0 ? 0 : Math.min(v, size - 1);
        }
    }

    /** The detection formats of {@link DetectionDecoder}, as the spec names. */
    static final class DetectionAdapter extends TaskAdapter {
        private final DetectionDecoder decoder;

        DetectionAdapter(ModelSpec spec) {
            super(spec);
            decoder = DetectionDecoder.forSpec(spec);
        }

        @Override
        public TaskResult decode(ModelOutputs outputs, int index, LetterboxTransform t) {
            return new TaskResult.Detections(t.sourceWidth(), t.sourceHeight(), decoder.decode(outputs, index, t));
        }
    }
}
