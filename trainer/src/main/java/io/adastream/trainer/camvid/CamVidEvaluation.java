package io.adastream.trainer.camvid;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.adastream.models.metrics.SegmentationConfusion;
import io.adastream.trainer.eval.Inference;
import io.adastream.trainer.eval.SegmentationEvaluation;

import java.nio.FloatBuffer;
import java.util.Map;

/**
 * Scores a CamVid segmenter on frames: the per-pixel argmax of its logits against the labels in a confusion matrix
 * over the {@value CamVidClasses#COUNT} classes (Unlabelled pixels are not counted), either from the trained DJL block
 * in inference mode or from an exported ONNX model in ONNX Runtime.
 */
public final class CamVidEvaluation {
    /** Frames per forward pass. */
    static final int BATCH = 8;

    private CamVidEvaluation() {
    }

    /** The trained block in inference mode (BatchNormalization with its running statistics). */
    public static SegmentationConfusion measure(Block block, NDManager manager, CamVidSet frames) {
        SegmentationConfusion confusion = new SegmentationConfusion(CamVidClasses.COUNT);
        for (int start = 0; start < frames.size(); start += BATCH) {
            int n = Math.min(BATCH, frames.size() - start);
            float[] logits;
            try (NDManager scope = manager.newSubManager()) {
                NDArray x = scope.create(inputs(frames, start, n), new Shape(n, 3, frames.height(), frames.width()));
                logits = Inference.forward(block, x);
            }
            add(confusion, frames, start, n, logits);
        }
        return confusion;
    }

    /** An exported model (ONNX bytes) in ONNX Runtime with default session options. */
    public static SegmentationConfusion measure(OrtEnvironment env, byte[] onnx, String inputName,
                                                String outputName, CamVidSet frames) throws OrtException {
        SegmentationConfusion confusion = new SegmentationConfusion(CamVidClasses.COUNT);
        try (OrtSession session = env.createSession(onnx, new OrtSession.SessionOptions())) {
            for (int start = 0; start < frames.size(); start += BATCH) {
                int n = Math.min(BATCH, frames.size() - start);
                add(confusion, frames, start, n, run(env, session, inputName, outputName, frames, start, n));
            }
        }
        return confusion;
    }

    /**
     * The largest absolute difference between the outputs of two ONNX models on the same frames, and the largest
     * output magnitude, as {@code [difference, magnitude]}.
     */
    public static float[] maxAbsDifference(OrtEnvironment env, byte[] first, byte[] second, String inputName,
                                           String outputName, CamVidSet frames) throws OrtException {
        float diff = 0;
        float scale = 0;
        try (OrtSession a = env.createSession(first, new OrtSession.SessionOptions());
             OrtSession b = env.createSession(second, new OrtSession.SessionOptions())) {
            for (int start = 0; start < frames.size(); start += BATCH) {
                int n = Math.min(BATCH, frames.size() - start);
                float[] x = run(env, a, inputName, outputName, frames, start, n);
                float[] y = run(env, b, inputName, outputName, frames, start, n);
                for (int i = 0; i < x.length; i++) {
                    diff = Math.max(diff, Math.abs(x[i] - y[i]));
                    scale = Math.max(scale, Math.abs(x[i]));
                }
            }
        }
        return new float[]{diff, scale};
    }

    private static float[] run(OrtEnvironment env, OrtSession session, String inputName, String outputName,
                               CamVidSet frames, int start, int n) throws OrtException {
        long[] shape = {n, 3, frames.height(), frames.width()};
        try (OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(inputs(frames, start, n)), shape);
             OrtSession.Result result = session.run(Map.of(inputName, tensor))) {
            FloatBuffer out = ((OnnxTensor) result.get(outputName).orElseThrow()).getFloatBuffer();
            float[] logits = new float[out.remaining()];
            out.get(logits);
            return logits;
        }
    }

    static float[] inputs(CamVidSet frames, int start, int n) {
        int slot = 3 * frames.width() * frames.height();
        float[] x = new float[n * slot];
        for (int i = 0; i < n; i++) {
            System.arraycopy(frames.get(start + i).input(), 0, x, i * slot, slot);
        }
        return x;
    }

    private static void add(SegmentationConfusion confusion, CamVidSet frames, int start, int n, float[] logits) {
        int plane = frames.width() * frames.height();
        int classes = CamVidClasses.COUNT;
        if (logits.length != n * classes * plane) {
            throw new IllegalStateException("expected " + n + "x" + classes + "x" + plane + " logits, got "
                    + logits.length);
        }
        for (int i = 0; i < n; i++) {
            confusion.add(frames.get(start + i).labels(),
                    SegmentationEvaluation.argmax(logits, i * classes * plane, classes, plane));
        }
    }
}
