package io.adastream.models.task;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import io.adastream.models.spec.ModelSpec;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * FastestDet (a real COCO detector, BGR, {@code x / 255}, area resize, output [1, 85, 22, 22]) through the spec's
 * pre-processing and the grid decoder in its FastestDet configuration, against the model authors' formulas written
 * out here, and against the labelled boxes of a COCO validation frame (640x427, not the 352x352 input).
 */
class FastestDetDecodingTest {
    static final float SCORE = 0.5f;
    static final float IOU = 0.35f;

    static Path shared(String relative) {
        Path file = Path.of("").toAbsolutePath().getParent().getParent().resolve("shared/data").resolve(relative);
        assumeTrue(Files.isRegularFile(file), "skipped: " + file + " is absent (real models live in ../shared/data)");
        return file;
    }

    @Test
    void gridDecoderInTheFastestDetFormMatchesTheAuthorsDecodingAndTheLabels() throws Exception {
        Path onnx = shared("fastestdet/FastestDet.onnx");
        List<String> names = FastestDetSpecs.classNames();
        assertEquals(80, names.size());
        ModelSpec spec = FastestDetSpecs.spec("FastestDet.onnx", SCORE, IOU);
        BufferedImage frame = ImageIO.read(shared("coco-val128/images/val2017/000000006771.jpg").toFile());
        int fw = frame.getWidth();
        int fh = frame.getHeight();
        assertEquals(640, fw);
        assertEquals(427, fh);

        TaskAdapter task = TaskAdapter.forSpec(spec);
        FloatBuffer input = FloatBuffer.allocate(task.slotSize());
        LetterboxTransform t = task.preprocess(frame, input, 0);
        float[] out;
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
            try (OrtSession session = env.createSession(onnx.toString(), options);
                 OnnxTensor x = OnnxTensor.createTensor(env, input, new long[]{1, 3, 352, 352});
                 OrtSession.Result r = session.run(Map.of("input.1", x))) {
                FloatBuffer b = ((OnnxTensor) r.get("758").orElseThrow()).getFloatBuffer();
                out = new float[b.limit()];
                b.get(out);
            }
        }
        List<Detection> decoded = ((TaskResult.Detections) task.decode(FloatBuffer.wrap(out), new long[]{1, 85, 22, 22}, 0, t))
                .detections();

        List<Detection> expected = authorsDecoding(out, fw, fh);
        assertEquals(expected.size(), decoded.size(), "decoded " + decoded + " expected " + expected);
        for (int i = 0; i < expected.size(); i++) {
            Detection e = expected.get(i);
            Detection d = decoded.get(i);
            assertEquals(e.classId(), d.classId());
            assertEquals(e.score(), d.score(), 1e-6);
            assertEquals(e.box().x0(), d.box().x0(), 1e-3);
            assertEquals(e.box().y0(), d.box().y0(), 1e-3);
            assertEquals(e.box().x1(), d.box().x1(), 1e-3);
            assertEquals(e.box().y1(), d.box().y1(), 1e-3);
        }
        // the frame's labelled people: most confident person detections land on them
        List<Box> people = new ArrayList<>();
        for (String line : Files.readAllLines(shared("coco-val128/object_detection/labels/val2017/000000006771.txt"))) {
            String[] f = line.trim().split("\\s+");
            if (f[0].equals("0")) {
                float cx = Float.parseFloat(f[1]) * fw;
                float cy = Float.parseFloat(f[2]) * fh;
                people.add(Box.centred(cx, cy, Float.parseFloat(f[3]) * fw, Float.parseFloat(f[4]) * fh));
            }
        }
        List<Detection> persons = decoded.stream().filter(d -> d.classId() == 1).toList();
        long matched = persons.stream().filter(d -> people.stream().anyMatch(p -> p.iou(d.box()) >= 0.5f)).count();
        System.out.printf("FastestDet on a 640x427 COCO frame: %d detections, %d persons, %d of them at IoU >= 0.5 "
                + "with one of the %d labelled people%n", decoded.size(), persons.size(), matched, people.size());
        assertTrue(persons.size() >= 3, "persons: " + persons);
        assertTrue(matched * 2 >= persons.size(), matched + " of " + persons.size() + " person detections on a labelled person");
    }

    /** FastestDet's README decoding, in frame pixels of a stretched frame; per-class greedy NMS. */
    static List<Detection> authorsDecoding(float[] out, int fw, int fh) {
        int g = 22;
        int cells = g * g;
        List<Detection> candidates = new ArrayList<>();
        for (int gy = 0; gy < g; gy++) {
            for (int gx = 0; gx < g; gx++) {
                int c = gy * g + gx;
                int best = 0;
                for (int k = 1; k < 80; k++) {
                    if (out[(5 + k) * cells + c] > out[(5 + best) * cells + c]) {
                        best = k;
                    }
                }
                float score = out[c] * out[(5 + best) * cells + c];
                if (score < SCORE) {
                    continue;
                }
                double cx = (gx + Math.tanh(out[cells + c])) / g;
                double cy = (gy + Math.tanh(out[2 * cells + c])) / g;
                double w = 1 / (1 + Math.exp(-out[3 * cells + c]));
                double h = 1 / (1 + Math.exp(-out[4 * cells + c]));
                candidates.add(new Detection(best + 1, score, new Box(
                        clip((cx - w / 2) * fw, fw), clip((cy - h / 2) * fh, fh),
                        clip((cx + w / 2) * fw, fw), clip((cy + h / 2) * fh, fh))));
            }
        }
        candidates.sort(Comparator.comparingDouble(Detection::score).reversed());
        List<Detection> kept = new ArrayList<>();
        for (Detection d : candidates) {
            if (kept.size() < 100 && kept.stream().noneMatch(k -> k.classId() == d.classId() && k.box().iou(d.box()) > IOU)) {
                kept.add(d);
            }
        }
        return kept;
    }

    private static float clip(double v, int size) {
        return (float) Math.max(0, Math.min(size, v));
    }
}
