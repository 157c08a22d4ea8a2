package io.adastream.models.spec;

import io.adastream.models.task.LetterboxTransform;
import io.adastream.models.task.TaskAdapter;
import io.adastream.models.task.TaskResult;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Spec parsing, validation errors, and the segmentation adapter's mapping back to input pixels. */
class ModelSpecTest {

    static final String SEGMENTER = """
            {"name": "seg", "task": "segmentation", "model": "seg.onnx",
             "input": {"name": "image", "width": 4, "height": 2, "resize": "stretch",
                       "mean": [0, 0, 0], "std": [1, 1, 1]},
             "classes": ["background", "a", "b"],
             "output": {"name": "logits", "format": "[N, 3, H, W] logits"},
             "futureField": 1}
            """;

    static ModelSpec parse(String json) throws ModelSpecException {
        return ModelSpec.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "test.json");
    }

    @Test
    void parsesAValidSpecAndIgnoresUnknownFields() throws Exception {
        ModelSpec spec = parse(SEGMENTER);
        assertTrue(spec.isSegmentation());
        assertEquals(3, spec.outputClasses());
        assertEquals(4, spec.input().width());
        assertFalse(spec.keepAspect());
    }

    @Test
    void invalidSpecsAreRefusedWithOneLine() {
        String[] bad = {
                SEGMENTER.replace("\"segmentation\"", "\"classification\""),
                SEGMENTER.replace("\"std\": [1, 1, 1]", "\"std\": [1, 0, 1]"),
                SEGMENTER.replace("\"width\": 4", "\"width\": 0"),
                SEGMENTER.replace("\"background\", \"a\", \"b\"", "\"background\""),
                SEGMENTER.replace("\"task\": \"segmentation\"", "\"task\": \"detection\""),
                "{not json",
                "null"};
        for (String json : bad) {
            ModelSpecException e = assertThrows(ModelSpecException.class, () -> parse(json), json);
            assertTrue(e.getMessage().startsWith("test.json: "), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void segmentationMasksAreMappedBackToTheInputImage() throws Exception {
        ModelSpec spec = parse(SEGMENTER);
        TaskAdapter adapter = TaskAdapter.forSpec(spec);
        // logits [1, 3, 2, 4]: class = column index % 3 on row 0, class 2 everywhere on row 1
        float[] logits = new float[3 * 2 * 4];
        for (int x = 0; x < 4; x++) {
            logits[(x % 3) * 8 + x] = 5f;
            logits[2 * 8 + 4 + x] = 5f;
        }
        // the input image was 8x4: every model pixel covers 2x2 input pixels
        LetterboxTransform t = LetterboxTransform.stretch(8, 4, 4, 2);
        TaskResult.Segmentation seg = (TaskResult.Segmentation) adapter.decode(FloatBuffer.wrap(logits),
                new long[]{1, 3, 2, 4}, 0, t);
        assertEquals(8, seg.width());
        assertEquals(4, seg.height());
        byte[] expectedRow0 = {0, 0, 1, 1, 2, 2, 0, 0};
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 8; x++) {
                assertEquals(expectedRow0[x], seg.mask()[y * 8 + x]);
                assertEquals(2, seg.mask()[(y + 2) * 8 + x]);
            }
        }
        assertEquals(16 + 4, seg.runLengths().get(2).area());
    }
}
