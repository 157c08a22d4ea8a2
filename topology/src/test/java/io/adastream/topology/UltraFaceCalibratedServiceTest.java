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
import io.adastream.models.task.ImageFolderFrames;
import io.adastream.models.task.ImagePreprocessor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The service serving UltraFace RFB-320 with BatchNorm folded (the {@code _simplified} file) after calibration on 32
 * COCO frames. That file's {@code boxes} are raw offsets to the priors, read by the {@code ssd} decoder with the
 * spec's {@code priors} option; the published faces must equal a decode by hand of the adaptive graph's raw offsets
 * against priors the test generates itself.
 */
class UltraFaceCalibratedServiceTest {

    static final String[] FILES = {"000000002299.jpg", "000000005001.jpg", "000000006771.jpg"};
    static final UltraFaceServiceTest.Placement[] PLACEMENTS = {   // letterbox into 320x240, as in UltraFaceServiceTest
            new UltraFaceServiceTest.Placement(320 / 500.0, 193 / 302.0, 0, 23),
            new UltraFaceServiceTest.Placement(320 / 640.0, 240 / 480.0, 0, 0),
            new UltraFaceServiceTest.Placement(320 / 640.0, 214 / 427.0, 0, 13)};

    @TempDir
    static Path dir;

    static ModelSpec spec;
    static float[] priors;

    @BeforeAll
    static void calibrateOnce() throws Exception {
        Path folded = SharedData.require("ultraface/version-RFB-320_simplified.onnx");
        Path coco = SharedData.require("coco-val128/images/val2017/" + FILES[0]).getParent();
        Path model = dir.resolve("ultraface-calibrated.onnx");
        Path specFile = dir.resolve("ultraface.json");
        Files.writeString(specFile, """
                {"name": "ultraface-rfb-320-calibrated", "task": "detection", "model": "%s",
                 "input": {"name": "input", "width": 320, "height": 240, "resize": "letterbox", "channels": "RGB",
                           "normalize": "signed-127"},
                 "classes": ["background", "face"],
                 "output": {"decoder": "ssd", "boxes": "boxes", "scores": "scores",
                            "priors": {"strides": [8, 16, 32, 64],
                                       "minSizes": [[10, 16, 24], [32, 48], [64, 96], [128, 192, 256]]}},
                 "detection": {"scoreThreshold": %s, "iouThreshold": %s, "maxDetections": %d}}
                """.formatted(model.toString().replace("\\", "/"), UltraFaceServiceTest.SCORE, UltraFaceServiceTest.IOU,
                UltraFaceServiceTest.MAX));
        spec = ModelSpec.load(specFile);
        CalibrationResult result = Calibrator.calibrate(OnnxModel.load(folded),
                ImageFolderFrames.open(coco, spec.input(), 0, Calibrator.MIN_FRAMES),
                CalibrationOptions.defaults().withThreads(2));
        priors = priors(320, 240);
        Files.write(model, result.model().toByteArray());
        System.out.printf(Locale.ROOT, "UltraFace RFB-320 folded, calibrated on %d COCO frames: %d BatchNorm layers inserted%n",
                Calibrator.MIN_FRAMES, result.inserted().size());
    }

    @Test
    void calibratedFoldedUltraFacePublishesTheDecodeOfTheAdaptiveOutputsInFramePixels() throws Exception {
        List<byte[]> jpegs = new ArrayList<>();
        for (String f : FILES) {
            jpegs.add(Files.readAllBytes(SharedData.require("coco-val128/images/val2017/" + f)));
        }
        try (DetectorServiceHarness service = new DetectorServiceHarness(spec,
                Files.readAllBytes(spec.modelPath(dir.resolve("ultraface.json"))), "adabn", dir.resolve("state"))) {
            List<JsonNode> published = service.send("cam-1", jpegs);
            ImagePreprocessor pre = ImagePreprocessor.forInput(spec.input());
            int faces = 0;
            double moved = 0;
            int movedLayers = 0;
            try (AdaptiveRunner runner = TestModels.runner(service.runtime)) {
                Workspace ws = runner.workspace(1);
                DomainState fresh = runner.adapter().newDomain(service.runtime.defaultPolicy());
                DomainState[] state = {runner.adapter().newDomain(service.runtime.defaultPolicy())};
                FrameOutcome[] outcome = new FrameOutcome[1];
                for (int i = 0; i < FILES.length; i++) {
                    BufferedImage image = DetectorServiceHarness.decoder().decode(jpegs.get(i));
                    pre.preprocess(image, ws.input("input"), 0);
                    runner.run(ws, state, outcome);
                    JsonNode p = published.get(i);
                    assertEquals(outcome[0].name().toLowerCase(Locale.ROOT), p.get("adaptation").get("outcome").asText(), FILES[i]);
                    assertEquals(i + 1, p.get("adaptation").get("frames").asInt());
                    float[] corners = cornersFromLocations(UltraFaceServiceTest.copy(ws.output("boxes")), priors);
                    List<UltraFaceServiceTest.Face> expected = UltraFaceServiceTest.decodeByHand(
                            UltraFaceServiceTest.copy(ws.output("scores")), corners, PLACEMENTS[i],
                            image.getWidth(), image.getHeight());
                    assertEquals(image.getWidth(), p.get("result").get("width").asInt());
                    UltraFaceServiceTest.assertFaces(FILES[i], expected, p.get("result"));
                    faces += expected.size();
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
            }
            System.out.printf(Locale.ROOT, "UltraFace RFB-320 folded + calibrated, adabn, 3 letterboxed frames: %d faces,"
                    + " all as decoded by hand from the raw offsets; %d layers' means moved (largest %.3f source sd)%n",
                    faces, movedLayers, moved);
            assertTrue(faces >= 3, "the frames show faces: " + faces);
            assertTrue(movedLayers >= 1 && moved > 0.01, "adaptation moved the statistics: largest mean shift " + moved);
        }
    }

    /** UltraFace's priors at 320x240, centre form (cx, cy, w, h), in the authors' order (generate_priors). */
    static float[] priors(int width, int height) {
        int[] strides = {8, 16, 32, 64};
        int[][] minBoxes = {{10, 16, 24}, {32, 48}, {64, 96}, {128, 192, 256}};
        List<Float> out = new ArrayList<>();
        for (int k = 0; k < strides.length; k++) {
            int fw = (int) Math.ceil((double) width / strides[k]);   // the exports divide by the feature-map size
            int fh = (int) Math.ceil((double) height / strides[k]);
            for (int j = 0; j < fh; j++) {
                for (int i = 0; i < fw; i++) {
                    for (int m : minBoxes[k]) {
                        out.add(unit((i + 0.5) / fw));
                        out.add(unit((j + 0.5) / fh));
                        out.add(unit((double) m / width));
                        out.add(unit((double) m / height));
                    }
                }
            }
        }
        float[] flat = new float[out.size()];
        for (int i = 0; i < flat.length; i++) {
            flat[i] = out.get(i);
        }
        return flat;
    }

    private static float unit(double v) {
        return (float) Math.min(1, Math.max(0, v));
    }

    /** The authors' decoding of raw offsets (centre variance 0.1, size variance 0.2) into normalised corners. */
    static float[] cornersFromLocations(float[] loc, float[] p) {
        assertEquals(p.length, loc.length, "anchors");
        float[] out = new float[loc.length];
        for (int a = 0; a < loc.length; a += 4) {
            double cx = loc[a] * 0.1 * p[a + 2] + p[a];
            double cy = loc[a + 1] * 0.1 * p[a + 3] + p[a + 1];
            double w = Math.exp(loc[a + 2] * 0.2) * p[a + 2];
            double h = Math.exp(loc[a + 3] * 0.2) * p[a + 3];
            out[a] = (float) (cx - w / 2);
            out[a + 1] = (float) (cy - h / 2);
            out[a + 2] = (float) (cx + w / 2);
            out[a + 3] = (float) (cy + h / 2);
        }
        return out;
    }
}
