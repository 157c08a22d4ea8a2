package io.adastream.trainer;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.adastream.adapt.onnx.BatchNormInspector;
import io.adastream.adapt.onnx.ModelInspection;
import io.adastream.adapt.onnx.OnnxModel;
import io.adastream.models.metrics.DetectionAveragePrecision;
import io.adastream.models.metrics.SegmentationConfusion;
import io.adastream.models.spec.BundledModels;
import io.adastream.models.spec.ModelSpec;
import io.adastream.models.synth.Scene;
import io.adastream.models.synth.SceneClasses;
import io.adastream.models.task.GridDetectionDecoder;
import io.adastream.models.task.LetterboxTransform;
import io.adastream.trainer.data.InputNormalization;
import io.adastream.trainer.data.SceneSet;
import io.adastream.trainer.eval.Batches;
import io.adastream.trainer.eval.DetectionEvaluation;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The committed demo models (models/src/main/resources/io/adastream/models/demo) are what the trainer writes: the
 * service's spec reader accepts their specs, they are small, every BatchNormalization layer is adaptable, and ONNX
 * Runtime reproduces the source accuracy recorded in the spec on the same held-out clean scenes.
 */
class BundledDemoModelsTest {
    static final int SIZE = TrainingPlan.INPUT_SIZE;
    static final long MAX_BYTES = 5L << 20;

    @Test
    void segmenterReproducesItsRecordedSourceAccuracy() throws Exception {
        ModelSpec spec = checkCommon(BundledModels.SEGMENTER, SegmenterTraining.OUTPUT, 10);
        int classes = SceneClasses.NAMES.size();
        assertEquals(classes, spec.outputClasses());
        SegmentationConfusion confusion = new SegmentationConfusion(classes);
        int plane = SIZE * SIZE;
        run(BundledModels.SEGMENTER, new long[]{classes, SIZE, SIZE}, (scene, out) -> {
            byte[] mask = new byte[plane];
            for (int p = 0; p < plane; p++) {
                int best = 0;
                for (int c = 1; c < classes; c++) {
                    if (out.get(c * plane + p) > out.get(best * plane + p)) {
                        best = c;
                    }
                }
                mask[p] = (byte) best;
            }
            confusion.add(scene.classMask(), mask);
        });
        double recorded = recordedAccuracy(BundledModels.SEGMENTER).get("mIoU").asDouble();
        System.out.printf("bundled segmenter: ONNX Runtime mIoU %.4f, recorded %.4f%n", confusion.meanIoU(), recorded);
        assertEquals(recorded, confusion.meanIoU(), 2e-3);
    }

    @Test
    void detectorReproducesItsRecordedSourceAccuracy() throws Exception {
        checkCommon(BundledModels.DETECTOR, DetectorTraining.OUTPUT, 8);
        int classes = SceneClasses.FOREGROUND_COUNT;
        int grid = SIZE / 8;
        GridDetectionDecoder decoder = new GridDetectionDecoder(classes, SIZE, SIZE, 0.05f, 0.5f, 100);
        DetectionAveragePrecision ap = new DetectionAveragePrecision(classes);
        LetterboxTransform identity = LetterboxTransform.stretch(SIZE, SIZE, SIZE, SIZE);
        run(BundledModels.DETECTOR, new long[]{5 + classes, grid, grid}, (scene, out) ->
                ap.addFrame(DetectionEvaluation.truth(scene.objects()),
                        decoder.decode(out, 0, grid, grid, identity)));
        double recorded = recordedAccuracy(BundledModels.DETECTOR).get("mAP50").asDouble();
        System.out.printf("bundled detector: ONNX Runtime mAP@0.5 %.4f, recorded %.4f%n", ap.map50(), recorded);
        assertEquals(recorded, ap.map50(), 2e-3);
    }

    private static ModelSpec checkCommon(String name, String output, int batchNormLayers) throws Exception {
        ModelSpec spec = BundledModels.spec(name);
        assertEquals("image", spec.input().name());
        assertEquals(SIZE, spec.input().width());
        assertEquals(SIZE, spec.input().height());
        assertArrayEquals(InputNormalization.MEAN, spec.input().mean());
        assertArrayEquals(InputNormalization.STD, spec.input().std());
        assertEquals(SceneClasses.NAMES, spec.classes());
        assertEquals(output, spec.output().name());
        byte[] bytes = BundledModels.onnx(name);
        assertTrue(bytes.length < MAX_BYTES, name + " is " + bytes.length + " bytes");
        ModelInspection inspection = BatchNormInspector.inspect(OnnxModel.parse(bytes));
        assertEquals(batchNormLayers, inspection.layers().size());
        assertTrue(inspection.skipped().isEmpty() && inspection.adaptable());
        return spec;
    }

    /** Runs the bundled model over the held-out scenes, one scene's output at a time to {@code perScene}. */
    private static void run(String name, long[] outDims, BiConsumer<Scene, FloatBuffer> perScene) throws Exception {
        JsonNode accuracy = recordedAccuracy(name);
        SceneSet scenes = SceneSet.generate(accuracy.get("sceneSeed").asLong(), accuracy.get("scenes").asInt(),
                SIZE, SIZE);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        int slot = (int) (outDims[0] * outDims[1] * outDims[2]);
        try (OrtSession session = env.createSession(BundledModels.onnx(name), new OrtSession.SessionOptions())) {
            for (int start = 0; start < scenes.size(); start += 50) {
                List<Scene> batch = Batches.slice(scenes, start, Math.min(scenes.size(), start + 50));
                float[] input = InputNormalization.toNchw(batch);
                try (OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(input),
                        new long[]{batch.size(), 3, SIZE, SIZE});
                     OrtSession.Result result = session.run(Map.of("image", tensor))) {
                    FloatBuffer out = ((OnnxTensor) result.get(0)).getFloatBuffer();
                    for (int i = 0; i < batch.size(); i++) {
                        FloatBuffer one = out.duplicate().position(i * slot).limit((i + 1) * slot).slice();
                        perScene.accept(batch.get(i), one);
                    }
                }
            }
        }
    }

    private static JsonNode recordedAccuracy(String name) throws Exception {
        try (InputStream in = BundledDemoModelsTest.class.getResourceAsStream(
                "/io/adastream/models/demo/" + name + ".json")) {
            return new ObjectMapper().readTree(in).get("sourceAccuracy");
        }
    }
}
