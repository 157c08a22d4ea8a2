package io.adastream.models.task;

import io.adastream.models.spec.BundledModels;
import io.adastream.models.spec.ModelSpec;
import io.adastream.models.spec.ModelSpecException;
import io.adastream.models.spec.OutputFormat;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each output format decoded from hand-made tensors with known answers, boxes in frame pixels. */
class OutputFormatsTest {

    /** A detector spec of {@code k} foreground classes, input w x h, whose output block is {@code output}. */
    static ModelSpec detector(int k, int w, int h, String output, float score, float iou, int max) throws ModelSpecException {
        StringBuilder classes = new StringBuilder("\"background\"");
        for (int i = 1; i <= k; i++) {
            classes.append(", \"c").append(i).append('"');
        }
        String json = """
                {"name": "m", "task": "detection", "model": "m.onnx",
                 "input": {"name": "x", "width": %d, "height": %d, "normalize": "unit"},
                 "classes": [%s], "output": {%s},
                 "detection": {"scoreThreshold": %s, "iouThreshold": %s, "maxDetections": %d}}
                """.formatted(w, h, classes, output, score, iou, max);
        return ModelSpec.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "t.json");
    }

    static ModelSpec segmenter(int classCount, String output) throws ModelSpecException {
        return segmenterOfSize(classCount, 4, 2, output);
    }

    /** A segmenter spec of {@code classCount} classes (background first), input w x h, output block {@code output}. */
    static ModelSpec segmenterOfSize(int classCount, int w, int h, String output) throws ModelSpecException {
        StringBuilder classes = new StringBuilder("\"background\"");
        for (int i = 1; i < classCount; i++) {
            classes.append(", \"c").append(i).append('"');
        }
        String json = """
                {"name": "s", "task": "segmentation", "model": "s.onnx",
                 "input": {"name": "x", "width": %d, "height": %d, "normalize": "unit"},
                 "classes": [%s], "output": {%s}}
                """.formatted(w, h, classes, output);
        return ModelSpec.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "t.json");
    }

    /** Named tensors for a decoder. */
    static final class Tensors implements ModelOutputs {
        private final Map<String, float[]> values = new HashMap<>();
        private final Map<String, long[]> shapes = new HashMap<>();

        Tensors put(String name, float[] v, long... shape) {
            values.put(name, v);
            shapes.put(name, shape);
            return this;
        }

        @Override
        public FloatBuffer tensor(String name) {
            return FloatBuffer.wrap(values.get(name));
        }

        @Override
        public long[] shape(String name) {
            return shapes.get(name);
        }
    }

    private static List<Detection> detect(ModelSpec spec, ModelOutputs outputs, LetterboxTransform t) {
        return ((TaskResult.Detections) TaskAdapter.forSpec(spec).decode(outputs, 0, t)).detections();
    }

    private static void assertBox(Box expected, Box actual) {
        assertArrayEquals(new float[]{expected.x0(), expected.y0(), expected.x1(), expected.y1()},
                new float[]{actual.x0(), actual.y0(), actual.x1(), actual.y1()}, 1e-3f, actual.toString());
    }

    @Test
    void yolov5RowsWithObjectnessInFramePixels() throws Exception {
        ModelSpec spec = detector(2, 100, 80, "\"name\": \"out\", \"decoder\": \"yolov5\"", 0.3f, 0.5f, 10);
        float[] out = {
                50, 40, 20, 10, 0.9f, 0.2f, 0.8f,   // score 0.72, class 2, box (40, 35)-(60, 45)
                20, 20, 10, 10, 0.9f, 0.3f, 0.1f,   // score 0.27: under the threshold
                52, 40, 20, 10, 0.8f, 0.1f, 0.7f,   // class 2, score 0.56, IoU 0.82 with the first: suppressed
                52, 40, 20, 10, 0.8f, 0.7f, 0.1f};  // class 1 at the same place: kept (NMS is per class)
        // the frame was 200x160, stretched by 0.5 into 100x80
        List<Detection> d = detect(spec, new Tensors().put("out", out, 1, 4, 7), LetterboxTransform.stretch(200, 160, 100, 80));
        assertEquals(2, d.size());
        assertEquals(2, d.get(0).classId());
        assertEquals(0.72f, d.get(0).score(), 1e-6);
        assertBox(new Box(80, 70, 120, 90), d.get(0).box());
        assertEquals(1, d.get(1).classId());
        assertEquals(0.56f, d.get(1).score(), 1e-6);
        assertBox(new Box(84, 70, 124, 90), d.get(1).box());
    }

    @Test
    void yolov5WithRawLogitsTakesTheSigmoid() throws Exception {
        ModelSpec spec = detector(2, 100, 80, "\"name\": \"out\", \"decoder\": \"yolov5\", \"scoreActivation\": \"sigmoid\"",
                0.3f, 0.5f, 10);
        float ln3 = (float) Math.log(3);
        float[] out = {50, 40, 20, 10, 0f, -ln3, ln3}; // sigmoid(0) * sigmoid(ln 3) = 0.5 * 0.75
        List<Detection> d = detect(spec, new Tensors().put("out", out, 1, 1, 7), LetterboxTransform.stretch(100, 80, 100, 80));
        assertEquals(1, d.size());
        assertEquals(0.375f, d.get(0).score(), 1e-6);
        assertEquals(2, d.get(0).classId());
    }

    @Test
    void yolov8ColumnsWithoutObjectnessThroughALetterbox() throws Exception {
        ModelSpec spec = detector(3, 64, 64, "\"name\": \"out\", \"decoder\": \"yolov8\"", 0.25f, 0.5f, 10);
        // [1, 4+3, 2]: anchor 0 = (32, 32, 16, 8; 0.1, 0.6, 0.2), anchor 1 = (10, 20, 4, 4; 0.05, 0.1, 0.95)
        float[] columns = {32, 10, 32, 20, 16, 4, 8, 4, 0.1f, 0.05f, 0.6f, 0.1f, 0.2f, 0.95f};
        // the frame was 128x64: scale 0.5, 16 rows of padding above
        LetterboxTransform t = LetterboxTransform.letterbox(128, 64, 64, 64);
        List<Detection> d = detect(spec, new Tensors().put("out", columns, 1, 7, 2), t);
        assertEquals(2, d.size());
        assertEquals(3, d.get(0).classId());
        assertEquals(0.95f, d.get(0).score(), 1e-6);
        assertBox(new Box(16, 4, 24, 12), d.get(0).box());
        assertEquals(2, d.get(1).classId());
        assertEquals(0.6f, d.get(1).score(), 1e-6);
        assertBox(new Box(48, 24, 80, 40), d.get(1).box());
        // the same anchors exported transposed, [1, 2, 4+3]
        float[] rows = {32, 32, 16, 8, 0.1f, 0.6f, 0.2f, 10, 20, 4, 4, 0.05f, 0.1f, 0.95f};
        assertEquals(d, detect(spec, new Tensors().put("out", rows, 1, 2, 7), t));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> detect(spec, new Tensors().put("out", rows, 1, 2, 8), t));
        assertTrue(e.getMessage().contains("[N, 7, A]"), e.getMessage());
    }

    @Test
    void ssdWithABackgroundColumnAndNormalisedCorners() throws Exception {
        ModelSpec spec = detector(1, 320, 240, "\"decoder\": \"ssd\", \"boxes\": \"boxes\", \"scores\": \"scores\"",
                0.7f, 0.3f, 10);
        float[] boxes = {
                0.25f, 0.25f, 0.5f, 0.5f,
                0.6f, 0.6f, 0.7f, 0.7f,
                0.26f, 0.25f, 0.51f, 0.5f,
                0.8f, 0.1f, 0.9f, 0.2f};
        float[] scores = {0.1f, 0.9f, 0.8f, 0.2f, 0.2f, 0.8f, 0.25f, 0.75f};
        // the frame was 640x480, stretched by 0.5 into 320x240
        List<Detection> d = detect(spec, new Tensors().put("boxes", boxes, 1, 4, 4).put("scores", scores, 1, 4, 2),
                LetterboxTransform.stretch(640, 480, 320, 240));
        assertEquals(2, d.size());
        assertEquals(1, d.get(0).classId());
        assertEquals(0.9f, d.get(0).score(), 1e-6);
        assertBox(new Box(160, 120, 320, 240), d.get(0).box());
        assertEquals(0.75f, d.get(1).score(), 1e-6);
        assertBox(new Box(512, 48, 576, 96), d.get(1).box());
    }

    @Test
    void ssdWithoutBackgroundCentreBoxesInPixelsAndSoftmax() throws Exception {
        ModelSpec spec = detector(2, 100, 100, "\"decoder\": \"ssd\", \"boxes\": \"b\", \"scores\": \"s\", "
                + "\"boxForm\": \"centre\", \"boxUnits\": \"pixels\", \"scoreActivation\": \"softmax\"", 0.5f, 0.5f, 10);
        float[] boxes = {50, 50, 20, 40};
        float[] scores = {0f, (float) Math.log(3)}; // softmax (0.25, 0.75): class 2
        List<Detection> d = detect(spec, new Tensors().put("b", boxes, 1, 1, 4).put("s", scores, 1, 1, 2),
                LetterboxTransform.stretch(100, 100, 100, 100));
        assertEquals(List.of(new Detection(2, 0.75f, new Box(40, 30, 60, 70))), d);
    }

    @Test
    void gridAsFastestDetWithTanhCentresAndSigmoidSizes() throws Exception {
        ModelSpec spec = detector(2, 64, 64, "\"name\": \"g\", \"decoder\": \"grid\", \"grid\": {\"objectness\": \"none\", "
                + "\"classes\": \"none\", \"centre\": \"tanh\", \"size\": \"sigmoid\"}", 0.3f, 0.35f, 10);
        int cells = 4;
        float[] out = new float[7 * cells];
        for (int c = 0; c < cells; c++) {
            out[c] = 0.1f; // objectness of every cell under the threshold ...
        }
        int cell = 2; // ... but cell (gy=1, gx=0)
        out[cell] = 0.8f;
        out[cells + cell] = (float) atanh(0.5);    // cx = (0 + 0.5) / 2 * 64 = 16
        out[2 * cells + cell] = 0f;                // cy = (1 + 0) / 2 * 64 = 32
        out[3 * cells + cell] = logit(0.25);       // w = 0.25 * 64 = 16
        out[4 * cells + cell] = logit(0.5);        // h = 0.5 * 64 = 32
        out[5 * cells + cell] = 0.25f;
        out[6 * cells + cell] = 0.75f;             // score 0.8 * 0.75 = 0.6, class 2
        // frame 128x128 stretched by 0.5
        List<Detection> d = detect(spec, new Tensors().put("g", out, 1, 7, 2, 2), LetterboxTransform.stretch(128, 128, 64, 64));
        assertEquals(1, d.size());
        assertEquals(2, d.get(0).classId());
        assertEquals(0.6f, d.get(0).score(), 1e-6);
        assertBox(new Box(16, 32, 48, 96), d.get(0).box());
    }

    @Test
    void gridWithoutSettingsIsTheDemoDetectorsForm() throws Exception {
        ModelSpec spec = detector(2, 64, 64, "\"name\": \"g\"", 0.3f, 0.5f, 100);
        float[] out = new float[7 * 16];
        for (int c = 0; c < 16; c++) {
            out[c] = -10f;
        }
        int cell = 4 + 2;
        out[cell] = 3f;
        out[3 * 16 + cell] = (float) Math.log(2);
        out[6 * 16 + cell] = (float) Math.log(3);
        LetterboxTransform t = LetterboxTransform.letterbox(128, 128, 64, 64);
        List<Detection> viaSpec = detect(spec, new Tensors().put("g", out, 1, 7, 4, 4), t);
        List<Detection> direct = new GridDetectionDecoder(2, 64, 64, 0.3f, 0.5f, 100).decode(FloatBuffer.wrap(out), 0, 4, 4, t);
        assertEquals(direct, viaSpec);
        assertEquals(1, viaSpec.size());
        assertEquals(1 / (1 + Math.exp(-3)) * 0.75, viaSpec.get(0).score(), 1e-6);
        assertEquals(new Box(48f, 32f, 112f, 64f), viaSpec.get(0).box());
    }

    @Test
    void nmsIncludedRowsAreTakenAsTheyAreUpToTheCap() throws Exception {
        ModelSpec spec = detector(2, 64, 64, "\"name\": \"det\", \"decoder\": \"nms-included\"", 0.25f, 0.5f, 2);
        float[] rows = {
                10, 20, 30, 40, 0.9f, 0,
                0, 0, 0, 0, 0, 0,             // padding
                12, 20, 32, 40, 0.5f, 0,      // overlaps the first, same class: kept, the model did NMS
                5, 5, 15, 15, 0.6f, 1,
                5, 5, 15, 15, 0.7f, 7};       // class index outside the spec's classes: dropped
        LetterboxTransform t = LetterboxTransform.letterbox(128, 64, 64, 64); // scale 0.5, padY 16
        List<Detection> d = detect(spec, new Tensors().put("det", rows, 1, 5, 6), t);
        assertEquals(List.of(new Detection(1, 0.9f, new Box(20, 8, 60, 48)), new Detection(2, 0.6f, new Box(10, 0, 30, 0))), d);
        ModelSpec three = detector(2, 64, 64, "\"decoder\": \"nms-included\", \"boxes\": \"b\", \"scores\": \"s\", "
                + "\"classIds\": \"c\", \"boxUnits\": \"normalized\", \"classOffset\": 0", 0.25f, 0.5f, 5);
        Tensors split = new Tensors()
                .put("b", new float[]{0.25f, 0.25f, 0.5f, 0.75f, 0, 0, 0, 0}, 1, 2, 4)
                .put("s", new float[]{0.8f, 0f}, 1, 2)
                .put("c", new float[]{2f, 0f}, 1, 2);
        assertEquals(List.of(new Detection(2, 0.8f, new Box(16, 16, 32, 48))),
                detect(three, split, LetterboxTransform.stretch(64, 64, 64, 64)));
    }

    @Test
    void nmsIncludedCountLimitsTheRowsAndACountOutsideTheRowsIsRefused() {
        NmsIncludedDecoder decoder = NmsIncludedDecoder.split("b", "s", "c", "n", 2, 1, new BoxCoding(true, false),
                new DetectionThresholds(0.25f, 0.5f, 10));
        LetterboxTransform t = LetterboxTransform.stretch(64, 64, 64, 64);
        float[] boxes = {0, 0, 10, 10, 20, 20, 30, 30, 40, 40, 50, 50};
        float[] scores = {0.9f, 0.8f, 0.7f};   // all above the threshold: only the count drops rows
        float[] classes = {0, 1, 0};
        java.util.function.Function<Float, Tensors> withCount = n -> new Tensors()
                .put("b", boxes, 1, 3, 4).put("s", scores, 1, 3).put("c", classes, 1, 3).put("n", new float[]{n}, 1);
        assertEquals(List.of(new Detection(1, 0.9f, new Box(0, 0, 10, 10)), new Detection(2, 0.8f, new Box(20, 20, 30, 30))),
                decoder.decode(withCount.apply(2f), 0, t));
        assertEquals(List.of(), decoder.decode(withCount.apply(0f), 0, t));
        assertEquals(3, decoder.decode(withCount.apply(3f), 0, t).size());
        IllegalArgumentException over = assertThrows(IllegalArgumentException.class,
                () -> decoder.decode(withCount.apply(4f), 0, t));
        assertEquals("nms-included count 4 outside 0..3 for item 0", over.getMessage());
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> decoder.decode(withCount.apply(Float.NaN), 0, t));
        assertEquals("nms-included count NaN outside 0..3 for item 0", nan.getMessage());
        assertThrows(IllegalArgumentException.class, () -> decoder.decode(withCount.apply(-1f), 0, t));
    }

    @Test
    void lowResolutionLogitsAreResizedBackToTheFrame() throws Exception {
        // logits [1, 2, 1, 2] of a 4x2 input; the frame is 8x4 (each output cell covers 4x4 frame pixels)
        float[] logits = {0f, 3f, 1f, 0f};
        LetterboxTransform t = LetterboxTransform.stretch(8, 4, 4, 2);
        TaskResult.Segmentation nearest = (TaskResult.Segmentation) TaskAdapter.forSpec(segmenter(2, "\"name\": \"y\""))
                .decode(new Tensors().put("y", logits, 1, 2, 1, 2), 0, t);
        TaskResult.Segmentation bilinear = (TaskResult.Segmentation) TaskAdapter.forSpec(
                segmenter(2, "\"name\": \"y\", \"upsample\": \"bilinear\"")).decode(new Tensors().put("y", logits, 1, 2, 1, 2), 0, t);
        // frame column x samples output x' = (x + 0.5) / 4 - 0.5: class 0 wins once 3x' > 1 - x', from x = 3 on
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 8; x++) {
                assertEquals(x < 4 ? 1 : 0, nearest.mask()[y * 8 + x], "nearest at " + x);
                assertEquals(x < 3 ? 1 : 0, bilinear.mask()[y * 8 + x], "bilinear at " + x);
            }
        }
    }

    @Test
    void classIdOutputsWithOrWithoutAChannelAxis() throws Exception {
        float[] ids = {0, 1, 2, 1};
        LetterboxTransform t = LetterboxTransform.stretch(8, 4, 4, 2);
        byte[] expected = new byte[32];
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 8; x++) {
                expected[y * 8 + x] = (byte) ids[(y / 2) * 2 + x / 4];
            }
        }
        ModelSpec spec = segmenter(3, "\"name\": \"y\", \"decoder\": \"class-ids\"");
        TaskAdapter adapter = TaskAdapter.forSpec(spec);
        assertArrayEquals(expected, ((TaskResult.Segmentation) adapter.decode(new Tensors().put("y", ids, 1, 2, 2), 0, t)).mask());
        assertArrayEquals(expected, ((TaskResult.Segmentation) adapter.decode(new Tensors().put("y", ids, 1, 1, 2, 2), 0, t)).mask());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> adapter.decode(new Tensors().put("y", new float[]{0, 1, 3, 1}, 1, 2, 2), 0, t));
        assertTrue(e.getMessage().contains("outside 0..2"), e.getMessage());
    }

    @Test
    void specsNameTheirFormatAndTheTensorsItReads() throws Exception {
        assertEquals(OutputFormat.GRID, BundledModels.spec(BundledModels.DETECTOR).output().outputFormat(ModelSpec.DETECTION));
        assertEquals(OutputFormat.LOGITS, BundledModels.spec(BundledModels.SEGMENTER).output().outputFormat(ModelSpec.SEGMENTATION));
        ModelSpec ssd = detector(1, 8, 8, "\"decoder\": \"ssd\", \"boxes\": \"b\", \"scores\": \"s\"", 0.5f, 0.5f, 1);
        assertEquals(List.of("b", "s"), TaskAdapter.forSpec(ssd).outputNames());
        String[] bad = {
                "\"decoder\": \"ssd\", \"boxes\": \"b\"",
                "\"decoder\": \"yolov9\", \"name\": \"y\"",
                "\"decoder\": \"logits\", \"name\": \"y\"",
                "\"decoder\": \"nms-included\", \"boxes\": \"b\", \"scores\": \"s\"",
                "\"decoder\": \"yolov8\"",
                "\"name\": \"y\", \"boxForm\": \"xywh\"",
                "\"name\": \"y\", \"grid\": {\"centre\": \"exp\"}"};
        for (String output : bad) {
            ModelSpecException e = assertThrows(ModelSpecException.class, () -> detector(1, 8, 8, output, 0.5f, 0.5f, 1), output);
            assertTrue(e.getMessage().startsWith("t.json: "), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
        assertThrows(ModelSpecException.class, () -> segmenter(2, "\"name\": \"y\", \"decoder\": \"ssd\""));
    }

    private static double atanh(double x) {
        return 0.5 * Math.log((1 + x) / (1 - x));
    }

    private static float logit(double p) {
        return (float) Math.log(p / (1 - p));
    }
}
