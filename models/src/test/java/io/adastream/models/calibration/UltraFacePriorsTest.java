package io.adastream.models.calibration;

import io.adastream.adapt.onnx.OnnxModel;
import io.adastream.adapt.testing.ModelRunner;
import io.adastream.models.spec.ModelSpec;
import io.adastream.models.task.Box;
import io.adastream.models.task.Detection;
import io.adastream.models.task.ImageFolderFrames;
import io.adastream.models.task.LetterboxTransform;
import io.adastream.models.task.ModelOutputs;
import io.adastream.models.task.PriorBoxes;
import io.adastream.models.task.TaskAdapter;
import io.adastream.models.task.TaskResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * UltraFace files whose {@code boxes} are raw offsets to the priors (the {@code _simplified} and
 * {@code _without_postprocessing} exports), read by the {@code ssd} decoder with the spec's {@code priors}, against the
 * BN-kept file of the same weights whose graph decodes the boxes itself: on the same COCO frames every anchor's box and
 * every published face must agree.
 */
class UltraFacePriorsTest {

    static final int FRAMES = 16;
    static final int W = 320;
    static final int H = 240;
    static final String DETECTION = "\"detection\": {\"scoreThreshold\": 0.7, \"iouThreshold\": 0.3, \"maxDetections\": 200}";

    static ModelSpec spec(String output) throws Exception {
        String json = """
                {"name": "ultraface", "task": "detection", "model": "m.onnx",
                 "input": {"name": "input", "width": 320, "height": 240, "channels": "RGB", "normalize": "signed-127"},
                 "classes": ["background", "face"], "output": {%s}, %s}
                """.formatted(output, DETECTION);
        return ModelSpec.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "ultraface.json");
    }

    @ParameterizedTest(name = "{1} against {0}")
    @CsvSource({"version-RFB-320, version-RFB-320_simplified", "version-RFB-320, version-RFB-320_without_postprocessing",
            "version-slim-320, version-slim-320_simplified"})
    void rawOffsetsDecodedWithThePriorsGiveTheKeptModelsBoxes(String keptName, String rawName) throws Exception {
        Path dir = SharedData.require("ultraface");
        Path coco = SharedData.require("coco-val128/images/val2017");
        ModelSpec decoded = spec("\"decoder\": \"ssd\", \"boxes\": \"boxes\", \"scores\": \"scores\", "
                + "\"boxForm\": \"corners\", \"boxUnits\": \"normalized\"");
        ModelSpec raw = spec("\"decoder\": \"ssd\", \"boxes\": \"boxes\", \"scores\": \"scores\", \"priors\": "
                + "{\"strides\": [8, 16, 32, 64], \"minSizes\": [[10, 16, 24], [32, 48], [64, 96], [128, 192, 256]],"
                + " \"centreVariance\": 0.1, \"sizeVariance\": 0.2}");
        List<float[]> frames = Frames.tensors(ImageFolderFrames.open(coco, decoded.input(), 0, FRAMES));
        List<float[][]> keptOut;
        List<float[][]> rawOut;
        long[] sample = {3, H, W};
        List<String> outputs = List.of("scores", "boxes");
        try (ModelRunner k = new ModelRunner(OnnxModel.load(dir.resolve(keptName + ".onnx")).proto(), "input", sample, 2);
             ModelRunner r = new ModelRunner(OnnxModel.load(dir.resolve(rawName + ".onnx")).proto(), "input", sample, 2)) {
            keptOut = k.run(frames, outputs);
            rawOut = r.run(frames, outputs);
        }
        PriorBoxes priors = PriorBoxes.generate(raw.output().priors(), W, H);
        TaskAdapter keptAdapter = TaskAdapter.forSpec(decoded);
        TaskAdapter rawAdapter = TaskAdapter.forSpec(raw);
        LetterboxTransform same = LetterboxTransform.stretch(W, H, W, H);
        double worstAnchor = 0;
        double worstIou = 1;
        double worstScore = 0;
        double worstCorner = 0;
        int faces = 0;
        for (int f = 0; f < FRAMES; f++) {
            float[] keptBoxes = keptOut.get(f)[1];
            float[] offsets = rawOut.get(f)[1];
            assertEquals(4 * priors.count(), offsets.length, "one offset row per prior");
            // every anchor: the kept graph's decoded corners (fractions) against the priors' decode (input pixels)
            for (int a = 0; a < priors.count(); a++) {
                Box b = priors.decode(a, offsets[4 * a], offsets[4 * a + 1], offsets[4 * a + 2], offsets[4 * a + 3]);
                worstAnchor = Math.max(worstAnchor, Math.max(
                        Math.max(Math.abs(b.x0() - keptBoxes[4 * a] * W), Math.abs(b.y0() - keptBoxes[4 * a + 1] * H)),
                        Math.max(Math.abs(b.x1() - keptBoxes[4 * a + 2] * W), Math.abs(b.y1() - keptBoxes[4 * a + 3] * H))));
            }
            List<Detection> expected = detections(keptAdapter, keptOut.get(f), same);
            List<Detection> actual = detections(rawAdapter, rawOut.get(f), same);
            assertEquals(expected.size(), actual.size(), "faces in frame " + f);
            List<Detection> unmatched = new ArrayList<>(actual);
            for (Detection e : expected) {
                Detection best = unmatched.stream().max((x, y) -> Float.compare(x.box().iou(e.box()), y.box().iou(e.box())))
                        .orElseThrow();
                unmatched.remove(best);
                worstIou = Math.min(worstIou, best.box().iou(e.box()));
                worstScore = Math.max(worstScore, Math.abs(best.score() - e.score()));
                worstCorner = Math.max(worstCorner, Math.max(Math.max(Math.abs(best.box().x0() - e.box().x0()),
                        Math.abs(best.box().y0() - e.box().y0())), Math.max(Math.abs(best.box().x1() - e.box().x1()),
                        Math.abs(best.box().y1() - e.box().y1()))));
            }
            faces += expected.size();
        }
        System.out.printf(Locale.ROOT, "%s with priors against %s, %d COCO frames: %d anchors, largest corner difference"
                        + " %.2e px over all anchors; %d faces each, all matched: IoU >= %.6f, corners within %.2e px,"
                        + " scores within %.2e%n", rawName, keptName, FRAMES, priors.count(), worstAnchor, faces, worstIou,
                worstCorner, worstScore);
        // the pair are the same weights, BN folded or not: the offsets differ by float32 folding noise (about 1e-5
        // relative), which moves a corner of a 256-pixel prior by well under a hundredth of a pixel
        assertTrue(worstAnchor <= 0.01, "largest corner difference " + worstAnchor + " px");
        assertTrue(faces >= 5, "the frames show faces: " + faces);
        assertTrue(worstIou >= 0.9999, "worst IoU " + worstIou);
        assertTrue(worstScore <= 1e-4, "worst score difference " + worstScore);
    }

    private static List<Detection> detections(TaskAdapter adapter, float[][] out, LetterboxTransform t) {
        ModelOutputs outputs = new ModelOutputs() {
            @Override
            public FloatBuffer tensor(String name) {
                return FloatBuffer.wrap(name.equals("scores") ? out[0] : out[1]);
            }

            @Override
            public long[] shape(String name) {
                return new long[]{1, out[0].length / 2, name.equals("scores") ? 2 : 4};
            }
        };
        return ((TaskResult.Detections) adapter.decode(outputs, 0, t)).detections();
    }
}
