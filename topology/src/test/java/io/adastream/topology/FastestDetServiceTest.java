package io.adastream.topology;

import com.fasterxml.jackson.databind.JsonNode;
import io.adastream.adapt.calibrate.CalibrationOptions;
import io.adastream.adapt.calibrate.CalibrationResult;
import io.adastream.adapt.calibrate.Calibrator;
import io.adastream.adapt.inference.AdaptiveRunner;
import io.adastream.adapt.onnx.OnnxModel;
import io.adastream.adapt.session.Workspace;
import io.adastream.adapt.stats.DomainState;
import io.adastream.adapt.stats.FrameOutcome;
import io.adastream.models.calibration.SharedData;
import io.adastream.models.spec.ModelSpec;
import io.adastream.models.task.FastestDetSpecs;
import io.adastream.models.task.ImageFolderFrames;
import io.adastream.models.task.ImagePreprocessor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The service serving FastestDet (BN folded at export) after calibration on 32 COCO frames: grid decoder in its
 * FastestDet form, BGR, {@code x / 255}, area resize to 352x352, on COCO frames of other sizes. The published boxes,
 * in frame pixels, must equal the model authors' decoding of the same adaptive graph's outputs, and AdaBN must have
 * moved the domain's statistics away from the calibration statistics.
 */
class FastestDetServiceTest {

    static final float SCORE = 0.5f;
    static final float IOU = 0.35f;
    static final int GRID = 22;
    static final double BOX_TOLERANCE = 2e-3;
    static final double SCORE_TOLERANCE = 1e-4;
    static final String[] FILES = {"000000002299.jpg", "000000005001.jpg", "000000006771.jpg"};

    @TempDir
    static Path dir;

    static ModelSpec spec;
    static byte[] calibrated;
    static List<String> names;

    /** A detection as the test reads it: class id (1-based, 0 is background), score, corners in frame pixels. */
    record Found(int classId, double score, double x0, double y0, double x1, double y1) {
    }

    @BeforeAll
    static void calibrateOnce() throws Exception {
        Path onnx = SharedData.require("fastestdet/FastestDet.onnx");
        names = FastestDetSpecs.classNames();
        Path coco = SharedData.require("coco-val128/images/val2017/" + FILES[0]).getParent();
        Path model = dir.resolve("fastestdet-calibrated.onnx");
        Path specFile = dir.resolve("fastestdet.json");
        Files.writeString(specFile, FastestDetSpecs.json(model.toString().replace("\\", "/"), SCORE, IOU));
        spec = ModelSpec.load(specFile);
        CalibrationResult result = Calibrator.calibrate(OnnxModel.load(onnx),
                ImageFolderFrames.open(coco, spec.input(), 0, Calibrator.MIN_FRAMES),
                CalibrationOptions.defaults().withThreads(2));
        calibrated = result.model().toByteArray();
        Files.write(model, calibrated);
        System.out.printf(Locale.ROOT, "FastestDet calibrated on %d COCO frames: %d BatchNorm layers inserted%n",
                Calibrator.MIN_FRAMES, result.inserted().size());
    }

    @Test
    void calibratedFastestDetPublishesTheAuthorsDecodingOfTheAdaptiveOutputsInFramePixels() throws Exception {
        List<byte[]> jpegs = new ArrayList<>();
        for (String f : FILES) {
            jpegs.add(Files.readAllBytes(SharedData.require("coco-val128/images/val2017/" + f)));
        }
        try (DetectorServiceHarness service = new DetectorServiceHarness(spec,
                Files.readAllBytes(spec.modelPath(dir.resolve("fastestdet.json"))), "adabn", dir.resolve("state"))) {
            assertEquals(calibrated.length, Files.size(dir.resolve("fastestdet-calibrated.onnx")));
            List<JsonNode> published = service.send("cam-1", jpegs);

            // the same frames through a runner of the same runtime, one domain, in order: the outputs the service had
            ImagePreprocessor pre = ImagePreprocessor.forInput(spec.input());
            int total = 0;
            double moved = 0;
            int movedLayers = 0;
            try (AdaptiveRunner runner = TestModels.runner(service.runtime)) {
                Workspace ws = runner.workspace(1);
                DomainState fresh = runner.adapter().newDomain(service.runtime.defaultPolicy());
                DomainState[] state = {runner.adapter().newDomain(service.runtime.defaultPolicy())};
                FrameOutcome[] outcome = new FrameOutcome[1];
                for (int i = 0; i < FILES.length; i++) {
                    BufferedImage image = DetectorServiceHarness.decoder().decode(jpegs.get(i));
                    assertTrue(image.getWidth() != 352 || image.getHeight() != 352, FILES[i]);
                    pre.preprocess(image, ws.input("input.1"), 0);
                    runner.run(ws, state, outcome);
                    JsonNode p = published.get(i);
                    assertEquals(outcome[0].name().toLowerCase(Locale.ROOT), p.get("adaptation").get("outcome").asText(), FILES[i]);
                    assertEquals(i + 1, p.get("adaptation").get("frames").asInt());
                    List<Found> expected = authorsDecoding(UltraFaceServiceTest.copy(ws.output("758")),
                            image.getWidth(), image.getHeight());
                    JsonNode result = p.get("result");
                    assertEquals(image.getWidth(), result.get("width").asInt());
                    assertEquals(image.getHeight(), result.get("height").asInt());
                    assertFound(FILES[i], expected, result);
                    total += expected.size();
                }
                for (int l = 0; l < fresh.layers(); l++) {
                    double layer = 0;
                    for (int c = 0; c < fresh.channels(l); c++) {
                        layer = Math.max(layer, Math.abs(state[0].mean(l, c) - fresh.mean(l, c))
                                / Math.sqrt(fresh.var(l, c) + 1e-5));
                    }
                    moved = Math.max(moved, layer);
                    movedLayers += layer > 1e-3 ? 1 : 0;
                }
                assertEquals(FILES.length, state[0].frameCount());
                System.out.printf(Locale.ROOT, "FastestDet calibrated, adabn, 3 stretched COCO frames: %d detections, all"
                                + " as the authors decode them; %d of %d layers' means moved (largest %.3f source sd)%n",
                        total, movedLayers, fresh.layers(), moved);
            }
            assertTrue(total >= 3, "the frames show objects: " + total);
            assertTrue(movedLayers * 2 >= 1, "adaptation moved the statistics of at least one layer: " + movedLayers);
            assertTrue(moved > 0.01, "adaptation moved the statistics: largest mean shift " + moved);
        }
    }

    /** FastestDet's README decoding of [1, 85, 22, 22], stretched back to the frame; per-class greedy NMS. */
    static List<Found> authorsDecoding(float[] out, int fw, int fh) {
        int cells = GRID * GRID;
        List<Found> candidates = new ArrayList<>();
        for (int gy = 0; gy < GRID; gy++) {
            for (int gx = 0; gx < GRID; gx++) {
                int c = gy * GRID + gx;
                int best = 0;
                for (int k = 1; k < 80; k++) {
                    if (out[(5 + k) * cells + c] > out[(5 + best) * cells + c]) {
                        best = k;
                    }
                }
                double score = out[c] * out[(5 + best) * cells + c];
                if (score < SCORE) {
                    continue;
                }
                double cx = (gx + Math.tanh(out[cells + c])) / GRID;
                double cy = (gy + Math.tanh(out[2 * cells + c])) / GRID;
                double w = 1 / (1 + Math.exp(-out[3 * cells + c]));
                double h = 1 / (1 + Math.exp(-out[4 * cells + c]));
                candidates.add(new Found(best + 1, score, clip((cx - w / 2) * fw, fw), clip((cy - h / 2) * fh, fh),
                        clip((cx + w / 2) * fw, fw), clip((cy + h / 2) * fh, fh)));
            }
        }
        candidates.sort(Comparator.comparingDouble(Found::score).reversed());
        List<Found> kept = new ArrayList<>();
        for (Found d : candidates) {
            if (kept.size() < 100 && kept.stream().noneMatch(k -> k.classId() == d.classId() && iou(k, d) > IOU)) {
                kept.add(d);
            }
        }
        return kept;
    }

    private static double clip(double v, int size) {
        return Math.max(0, Math.min(size, v));
    }

    private static double iou(Found a, Found b) {
        double w = Math.min(a.x1(), b.x1()) - Math.max(a.x0(), b.x0());
        double h = Math.min(a.y1(), b.y1()) - Math.max(a.y0(), b.y0());
        if (w <= 0 || h <= 0) {
            return 0;
        }
        double inter = w * h;
        return inter / ((a.x1() - a.x0()) * (a.y1() - a.y0()) + (b.x1() - b.x0()) * (b.y1() - b.y0()) - inter);
    }

    private static void assertFound(String frame, List<Found> expected, JsonNode result) {
        JsonNode detections = result.get("detections");
        assertEquals(expected.size(), detections.size(), frame + ": expected " + expected + ", published " + detections);
        for (int i = 0; i < expected.size(); i++) {
            Found e = expected.get(i);
            JsonNode d = detections.get(i);
            assertEquals(names.get(e.classId() - 1), d.get("class").asText(), frame + ": class of detection " + i);
            assertEquals(e.score(), d.get("score").asDouble(), SCORE_TOLERANCE, frame + ": score of detection " + i);
            double[] box = {e.x0(), e.y0(), e.x1(), e.y1()};
            for (int k = 0; k < 4; k++) {
                assertEquals(box[k], d.get("box").get(k).asDouble(), BOX_TOLERANCE * Math.max(1, box[k]),
                        frame + ": coordinate " + k + " of detection " + i);
            }
        }
    }
}
