package io.adastream.models.task;

import ai.onnxruntime.OnnxJavaType;
import io.adastream.models.spec.ModelSpec;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The start-time check of output element types and prior counts against the spec, on declared outputs. */
class OutputCheckTest {

    private static OutputCheck.Declared d(OnnxJavaType t, long... shape) {
        return new OutputCheck.Declared(t, shape);
    }

    private static String refusal(ModelSpec spec, Map<String, OutputCheck.Declared> outputs) {
        return assertThrows(IllegalArgumentException.class, () -> OutputCheck.check(spec, outputs::get)).getMessage();
    }

    @Test
    void integerClassIdsAndCountsPassOtherTypesAreRefusedInOneLine() throws Exception {
        ModelSpec ids = OutputFormatsTest.segmenter(3, "\"name\": \"y\", \"decoder\": \"class-ids\"");
        for (OnnxJavaType t : new OnnxJavaType[]{OnnxJavaType.INT64, OnnxJavaType.INT32, OnnxJavaType.FLOAT}) {
            assertDoesNotThrow(() -> OutputCheck.check(ids, Map.of("y", d(t, 1, 2, 4))::get));
        }
        assertEquals("model output 'y' is UINT8, but a class-ids output must be FLOAT, INT64 or INT32",
                refusal(ids, Map.of("y", d(OnnxJavaType.UINT8, 1, 2, 4))));
        ModelSpec logits = OutputFormatsTest.segmenter(3, "\"name\": \"y\"");
        assertEquals("model output 'y' is INT64, but a logits output must be FLOAT",
                refusal(logits, Map.of("y", d(OnnxJavaType.INT64, 1, 3, 2, 4))));

        ModelSpec nms = OutputFormatsTest.detector(2, 8, 8, "\"decoder\": \"nms-included\", \"boxes\": \"b\", "
                + "\"scores\": \"s\", \"classIds\": \"c\", \"count\": \"n\"", 0.5f, 0.5f, 5);
        Map<String, OutputCheck.Declared> good = Map.of("b", d(OnnxJavaType.FLOAT, 1, 5, 4), "s", d(OnnxJavaType.FLOAT, 1, 5),
                "c", d(OnnxJavaType.INT64, 1, 5), "n", d(OnnxJavaType.INT32, 1));
        assertDoesNotThrow(() -> OutputCheck.check(nms, good::get));
        assertEquals("model output 'n' is BOOL, but nms-included count must be FLOAT, INT64 or INT32",
                refusal(nms, Map.of("b", d(OnnxJavaType.FLOAT, 1, 5, 4), "s", d(OnnxJavaType.FLOAT, 1, 5),
                        "c", d(OnnxJavaType.INT64, 1, 5), "n", d(OnnxJavaType.BOOL, 1))));
        assertEquals("model output 's' is INT64, but nms-included scores must be FLOAT",
                refusal(nms, Map.of("b", d(OnnxJavaType.FLOAT, 1, 5, 4), "s", d(OnnxJavaType.INT64, 1, 5),
                        "c", d(OnnxJavaType.INT64, 1, 5), "n", d(OnnxJavaType.INT64, 1))));
    }

    @Test
    void priorsOfAnotherAnchorCountAreRefusedAtStart() throws Exception {
        ModelSpec ssd = OutputFormatsTest.detector(1, 320, 240, "\"decoder\": \"ssd\", \"boxes\": \"b\", \"scores\": \"s\", "
                + "\"priors\": {\"strides\": [8, 16, 32, 64], \"minSizes\": [[10, 16, 24], [32, 48], [64, 96], [128, 192, 256]]}",
                0.5f, 0.5f, 5);
        assertDoesNotThrow(() -> OutputCheck.check(ssd, Map.of("b", d(OnnxJavaType.FLOAT, 1, 4420, 4),
                "s", d(OnnxJavaType.FLOAT, 1, 4420, 2))::get));
        assertDoesNotThrow(() -> OutputCheck.check(ssd, Map.of("b", d(OnnxJavaType.FLOAT, 1, -1, 4),
                "s", d(OnnxJavaType.FLOAT, 1, -1, 2))::get));   // symbolic: checked per frame instead
        assertEquals("model output 'b' has 17640 anchors, the spec's output.priors make 4420 at 320x240: fix "
                + "output.priors.strides and minSizes", refusal(ssd, Map.of("b", d(OnnxJavaType.FLOAT, 1, 17640, 4),
                "s", d(OnnxJavaType.FLOAT, 1, 17640, 2))));
    }
}
