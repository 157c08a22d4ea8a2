package io.adastream.topology;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import io.adastream.adapt.inference.AdaptiveRunner;
import io.adastream.adapt.session.Workspace;
import io.adastream.adapt.stats.DomainState;
import io.adastream.adapt.stats.FrameOutcome;
import io.adastream.models.calibration.SharedData;
import io.adastream.models.io.ImageDecoder;
import io.adastream.models.spec.ModelSpec;
import io.adastream.models.task.ImagePreprocessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The service serving a real third-party detector: UltraFace RFB-320 (BatchNorm kept, 35 layers) with a spec this
 * test writes (SSD format, {@code (x - 127) / 128}), on COCO frames of other sizes than the model's 320x240. The
 * published boxes, in frame pixels, must equal an independent decode of the same ONNX Runtime outputs.
 */
class UltraFaceServiceTest {

    static final float SCORE = 0.7f;
    static final float IOU = 0.3f;
    static final int MAX = 200;
    /** Published numbers are rounded to 4 decimals; boxes also carry float32 noise of a 640-pixel scale. */
    static final double BOX_TOLERANCE = 2e-3;
    static final double SCORE_TOLERANCE = 1e-4;

    @TempDir
    Path dir;

    private DetectorServiceHarness service;
    private ModelRuntime runtime;

    @AfterEach
    void close() throws Exception {
        if (service != null) {
            service.close();
        }
    }

    /** A detection as the test reads it: face score and corners in frame pixels. */
    record Face(double score, double x0, double y0, double x1, double y1) {
    }

    /** How the frame was placed into the 320x240 input, worked out by hand for each frame of the test. */
    record Placement(double scaleX, double scaleY, double padX, double padY) {
    }

    private ModelSpec writeSpec(String resize) throws Exception {
        Path onnx = SharedData.require("ultraface/version-RFB-320.onnx");
        Path spec = dir.resolve("ultraface.json");
        Files.writeString(spec, """
                {"name": "ultraface-rfb-320", "task": "detection", "model": "%s",
                 "input": {"name": "input", "width": 320, "height": 240, "resize": "%s", "channels": "RGB",
                           "normalize": "signed-127"},
                 "classes": ["background", "face"],
                 "output": {"decoder": "ssd", "boxes": "boxes", "scores": "scores",
                            "boxForm": "corners", "boxUnits": "normalized"},
                 "detection": {"scoreThreshold": %s, "iouThreshold": %s, "maxDetections": %d}}
                """.formatted(onnx.toString().replace("\\", "/"), resize, SCORE, IOU, MAX));
        return ModelSpec.load(spec);
    }

    private DetectorServiceHarness start(ModelSpec spec, String policy) throws Exception {
        service = new DetectorServiceHarness(spec, Files.readAllBytes(spec.modelPath(dir.resolve("ultraface.json"))),
                policy, dir.resolve("state"));
        runtime = service.runtime;
        return service;
    }

    private static ImageDecoder decoder() {
        return DetectorServiceHarness.decoder();
    }

    @Test
    void stretchedFramePublishesTheFacesOfTheOriginalModelInFramePixels() throws Exception {
        ModelSpec spec = writeSpec("stretch");
        byte[] jpeg = Files.readAllBytes(SharedData.require("coco-val128/images/val2017/000000006771.jpg"));
        List<JsonNode> published = start(spec, "source").send("cam-1", List.of(jpeg));
        BufferedImage image = decoder().decode(jpeg);
        assertEquals(640, image.getWidth());
        assertEquals(427, image.getHeight());

        // the original graph (not the adaptive one) under plain ONNX Runtime, decoded here
        FloatBuffer input = FloatBuffer.allocate(3 * 320 * 240);
        ImagePreprocessor.forInput(spec.input()).preprocess(image, input, 0);
        float[][] outputs = runOriginal(spec, input);
        // stretch: normalised coordinates scale by the frame size
        List<Face> expected = decodeByHand(outputs[0], outputs[1], new Placement(320 / 640.0, 240 / 427.0, 0, 0), 640, 427);
        assertTrue(expected.size() >= 2, "the frame shows several faces: " + expected);
        JsonNode result = published.get(0).get("result");
        assertEquals(640, result.get("width").asInt());
        assertEquals(427, result.get("height").asInt());
        assertFaces("result", expected, result);
        assertFaces("source_result", expected, published.get(0).get("source_result"));
        System.out.printf("UltraFace RFB-320 on a 640x427 frame: %d faces, best %s%n", expected.size(), expected.get(0));
    }

    @Test
    void letterboxedAdaptedFramesPublishTheDecodeOfTheAdaptiveOutputs() throws Exception {
        ModelSpec spec = writeSpec("letterbox");
        String[] files = {"000000002299.jpg", "000000005001.jpg", "000000006771.jpg"};
        // each frame's letterbox into 320x240, by hand: scale = min(320 / w, 240 / h), content rounded, centred
        Placement[] placements = {
                new Placement(320 / 500.0, 193 / 302.0, 0, 23),   // 500x302: content 320x193, (240 - 193) / 2 = 23
                new Placement(320 / 640.0, 240 / 480.0, 0, 0),    // 640x480: the same aspect, no padding
                new Placement(320 / 640.0, 214 / 427.0, 0, 13)};  // 640x427: content 320x214 (213.5 rounded), (240 - 214) / 2 = 13
        List<byte[]> jpegs = new ArrayList<>();
        for (String f : files) {
            jpegs.add(Files.readAllBytes(SharedData.require("coco-val128/images/val2017/" + f)));
        }
        List<JsonNode> published = start(spec, "adabn").send("cam-2", jpegs);

        // the same frames through a runner of the same runtime, one domain, in order: the outputs the service had
        ImagePreprocessor pre = ImagePreprocessor.forInput(spec.input());
        int totalFaces = 0;
        try (AdaptiveRunner runner = TestModels.runner(runtime)) {
            Workspace ws = runner.workspace(1);
            DomainState[] state = {runner.adapter().newDomain(runtime.defaultPolicy())};
            FrameOutcome[] outcome = new FrameOutcome[1];
            for (int i = 0; i < files.length; i++) {
                BufferedImage image = decoder().decode(jpegs.get(i));
                pre.preprocess(image, ws.input("input"), 0);
                runner.run(ws, state, outcome);
                assertEquals(outcome[0].name().toLowerCase(java.util.Locale.ROOT),
                        published.get(i).get("adaptation").get("outcome").asText(), files[i]);
                List<Face> expected = decodeByHand(copy(ws.output("scores")), copy(ws.output("boxes")), placements[i],
                        image.getWidth(), image.getHeight());
                JsonNode result = published.get(i).get("result");
                assertEquals(image.getWidth(), result.get("width").asInt());
                assertFaces(files[i], expected, result);
                totalFaces += expected.size();
                assertEquals(i + 1, published.get(i).get("adaptation").get("frames").asInt());
            }
        }
        assertTrue(totalFaces >= 3, "the frames show faces: " + totalFaces);
        System.out.printf("UltraFace RFB-320, adabn, 3 letterboxed frames: %d faces, all as decoded by hand%n", totalFaces);
    }

    private static float[][] runOriginal(ModelSpec spec, FloatBuffer input) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setSessionLogLevel(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
        try (OrtSession session = env.createSession(SharedData.require("ultraface/version-RFB-320.onnx").toString(), options);
             OnnxTensor x = OnnxTensor.createTensor(env, input.rewind(), new long[]{1, 3, 240, 320});
             OrtSession.Result r = session.run(Map.of(spec.input().name(), x))) {
            return new float[][]{copy(((OnnxTensor) r.get("scores").orElseThrow()).getFloatBuffer()),
                    copy(((OnnxTensor) r.get("boxes").orElseThrow()).getFloatBuffer())};
        }
    }

    static float[] copy(FloatBuffer b) {
        float[] a = new float[b.limit()];
        b.get(0, a);
        return a;
    }

    /**
     * UltraFace's own post-processing, written out: face probability (column 1) at least the threshold, corners
     * times the input size, back through the placement, clipped to the frame, greedy NMS at IoU 0.3.
     */
    static List<Face> decodeByHand(float[] scores, float[] boxes, Placement p, int frameWidth, int frameHeight) {
        List<Face> candidates = new ArrayList<>();
        for (int a = 0; a < scores.length / 2; a++) {
            float s = scores[2 * a + 1];
            if (s >= SCORE) {
                candidates.add(new Face(s,
                        clip((boxes[4 * a] * 320 - p.padX()) / p.scaleX(), frameWidth),
                        clip((boxes[4 * a + 1] * 240 - p.padY()) / p.scaleY(), frameHeight),
                        clip((boxes[4 * a + 2] * 320 - p.padX()) / p.scaleX(), frameWidth),
                        clip((boxes[4 * a + 3] * 240 - p.padY()) / p.scaleY(), frameHeight)));
            }
        }
        candidates.sort((x, y) -> Double.compare(y.score(), x.score()));
        List<Face> kept = new ArrayList<>();
        for (Face c : candidates) {
            if (kept.size() < MAX && kept.stream().noneMatch(k -> iou(k, c) > IOU)) {
                kept.add(c);
            }
        }
        return kept;
    }

    private static double clip(double v, int size) {
        return Math.max(0, Math.min(size, v));
    }

    private static double iou(Face a, Face b) {
        double w = Math.min(a.x1(), b.x1()) - Math.max(a.x0(), b.x0());
        double h = Math.min(a.y1(), b.y1()) - Math.max(a.y0(), b.y0());
        if (w <= 0 || h <= 0) {
            return 0;
        }
        double inter = w * h;
        return inter / ((a.x1() - a.x0()) * (a.y1() - a.y0()) + (b.x1() - b.x0()) * (b.y1() - b.y0()) - inter);
    }

    static void assertFaces(String frame, List<Face> expected, JsonNode result) {
        JsonNode detections = result.get("detections");
        assertEquals(expected.size(), detections.size(), frame + ": faces: expected " + expected + ", published " + detections);
        for (int i = 0; i < expected.size(); i++) {
            Face e = expected.get(i);
            JsonNode d = detections.get(i);
            assertEquals("face", d.get("class").asText());
            assertEquals(e.score(), d.get("score").asDouble(), SCORE_TOLERANCE, frame + ": score of face " + i);
            double[] box = {e.x0(), e.y0(), e.x1(), e.y1()};
            for (int k = 0; k < 4; k++) {
                assertEquals(box[k], d.get("box").get(k).asDouble(), BOX_TOLERANCE * Math.max(1, box[k]),
                        frame + ": coordinate " + k + " of face " + i);
            }
        }
    }
}
