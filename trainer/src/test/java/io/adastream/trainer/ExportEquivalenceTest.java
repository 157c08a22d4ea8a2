package io.adastream.trainer;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnx.proto.OnnxMl.ModelProto;
import io.adastream.adapt.onnx.BatchNormInspector;
import io.adastream.adapt.onnx.ModelInspection;
import io.adastream.adapt.onnx.OnnxModel;
import io.adastream.models.synth.Scene;
import io.adastream.models.synth.SceneClasses;
import io.adastream.trainer.data.DetectionTargets;
import io.adastream.trainer.data.InputNormalization;
import io.adastream.trainer.data.SceneSet;
import io.adastream.trainer.data.SegmentationTargets;
import io.adastream.trainer.eval.Batches;
import io.adastream.trainer.eval.Inference;
import io.adastream.trainer.loss.GridDetectionLoss;
import io.adastream.trainer.loss.PixelCrossEntropyLoss;
import io.adastream.trainer.nn.DetectorNet;
import io.adastream.trainer.nn.OnnxExportable;
import io.adastream.trainer.onnx.OnnxExport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The exported ONNX graphs compute what the DJL networks compute in inference mode: both networks are trained for a
 * few steps (so BatchNormalization running statistics, scales and biases are far from their initial values),
 * exported, and run in ONNX Runtime and in DJL on the same scenes and on random inputs. Also checks that the
 * adaptive graph's inspector finds every BatchNormalization layer of the export.
 */
class ExportEquivalenceTest {
    static final float TOLERANCE = 1e-4f;
    static final int SIZE = TrainingPlan.INPUT_SIZE;

    static OrtEnvironment ort;
    static SceneSet scenes;

    @BeforeAll
    static void setUp() {
        ort = OrtEnvironment.getEnvironment();
        ai.djl.engine.Engine.getInstance().setRandomSeed(11);
        scenes = SceneSet.generate(99L, 48, SIZE, SIZE);
    }

    @Test
    void segmenterExportMatchesDjlInference() throws Exception {
        int classes = SceneClasses.NAMES.size();
        float[] weights = new float[classes];
        Arrays.fill(weights, 1f);
        try (Model model = Model.newInstance("segmenter-test")) {
            var net = SegmenterTraining.network();
            model.setBlock(net);
            briefly(model, new PixelCrossEntropyLoss(weights), new TrainingLoop.BatchEncoder<Scene>() {
                @Override
                public NDList data(NDManager m, List<Scene> batch) {
                    return new NDList(InputNormalization.toNdArray(m, batch));
                }

                @Override
                public NDList labels(NDManager m, List<Scene> batch) {
                    return new NDList(SegmentationTargets.oneHot(m, batch, classes));
                }
            });
            ModelProto onnx = OnnxExport.export(net, "seg", SIZE, SegmenterTraining.OUTPUT,
                    new long[]{classes, SIZE, SIZE}, "test");
            assertBatchNormLayers(onnx, 10);
            float diff = compare(net, model.getNDManager(), onnx, SegmenterTraining.OUTPUT,
                    new long[]{classes, SIZE, SIZE});
            System.out.printf("segmenter: max |DJL - ONNX Runtime| = %.3g%n", diff);
        }
    }

    @Test
    void detectorExportMatchesDjlInference() throws Exception {
        int classes = SceneClasses.FOREGROUND_COUNT;
        int grid = SIZE / DetectorNet.STRIDE;
        try (Model model = Model.newInstance("detector-test")) {
            var net = DetectorTraining.network();
            model.setBlock(net);
            briefly(model, new GridDetectionLoss(0.5f), new TrainingLoop.BatchEncoder<Scene>() {
                @Override
                public NDList data(NDManager m, List<Scene> batch) {
                    return new NDList(InputNormalization.toNdArray(m, batch));
                }

                @Override
                public NDList labels(NDManager m, List<Scene> batch) {
                    return new NDList(DetectionTargets.encode(m, batch, classes, DetectorNet.STRIDE));
                }
            });
            ModelProto onnx = OnnxExport.export(net, "det", SIZE, DetectorTraining.OUTPUT,
                    new long[]{5 + classes, grid, grid}, "test");
            assertBatchNormLayers(onnx, 8);
            float diff = compare(net, model.getNDManager(), onnx, DetectorTraining.OUTPUT,
                    new long[]{5 + classes, grid, grid});
            System.out.printf("detector: max |DJL - ONNX Runtime| = %.3g%n", diff);
        }
    }

    /** A few optimizer steps, so that the weights and the BN running statistics are trained values. */
    private static void briefly(Model model, ai.djl.training.loss.Loss loss, TrainingLoop.BatchEncoder<Scene> encoder) {
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        new TrainingLoop(quiet).train("test", model, loss, scenes, encoder,
                new TrainingLoop.Settings(2, 16, 1e-2f, 3L, 60_000L), () -> "");
    }

    private static void assertBatchNormLayers(ModelProto onnx, int expected) throws Exception {
        ModelInspection inspection = BatchNormInspector.inspect(OnnxModel.parse(onnx.toByteArray()));
        assertEquals(expected, inspection.layers().size(), "adaptable BN layers; skipped: " + inspection.skipped());
        assertTrue(inspection.skipped().isEmpty(), inspection.skipped().toString());
        assertTrue(inspection.adaptable());
    }

    /**
     * Max abs difference over scenes and random inputs; fails above {@link #TOLERANCE} (scaled up for outputs
     * larger than 10 in magnitude).
     */
    private static float compare(Block net, NDManager manager, ModelProto onnx, String output, long[] outDims)
            throws Exception {
        float[] realInput = InputNormalization.toNchw(Batches.slice(scenes, 0, 5));
        float[] noise = new float[3 * 3 * SIZE * SIZE];
        Random random = new Random(5);
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (float) (random.nextGaussian() * 1.5);
        }
        float worst = 0;
        try (OrtSession session = ort.createSession(onnx.toByteArray(), new OrtSession.SessionOptions())) {
            for (float[] input : List.of(realInput, noise)) {
                long n = input.length / (3L * SIZE * SIZE);
                float[] expected;
                try (NDManager scope = manager.newSubManager()) {
                    NDArray x = scope.create(input, new Shape(n, 3, SIZE, SIZE));
                    expected = Inference.forward(net, x);
                }
                float[] actual;
                try (OnnxTensor tensor = OnnxTensor.createTensor(ort, FloatBuffer.wrap(input),
                        new long[]{n, 3, SIZE, SIZE});
                     OrtSession.Result result = session.run(Map.of(OnnxExport.INPUT_NAME, tensor))) {
                    OnnxTensor out = (OnnxTensor) result.get(output).orElseThrow();
                    long[] shape = out.getInfo().getShape();
                    assertArrayEquals(new long[]{n, outDims[0], outDims[1], outDims[2]}, shape);
                    FloatBuffer buffer = out.getFloatBuffer();
                    actual = new float[buffer.remaining()];
                    buffer.get(actual);
                }
                assertEquals(expected.length, actual.length);
                float diff = 0;
                float scale = 0;
                for (int i = 0; i < actual.length; i++) {
                    diff = Math.max(diff, Math.abs(actual[i] - expected[i]));
                    scale = Math.max(scale, Math.abs(expected[i]));
                }
                assertTrue(scale > 0.1f, "degenerate outputs");
                // float32 rounding in two different convolution implementations grows with the output magnitude
                float allowed = TOLERANCE * Math.max(1f, scale / 10f);
                assertTrue(diff <= allowed, "max abs diff " + diff + " > " + allowed + " (max |output| " + scale + ")");
                System.out.printf("  %d inputs: max |output| %.3g, max abs diff %.3g%n", n, scale, diff);
                worst = Math.max(worst, diff);
            }
        }
        return worst;
    }
}
