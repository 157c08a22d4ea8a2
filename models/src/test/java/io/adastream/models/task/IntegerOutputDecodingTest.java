package io.adastream.models.task;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnxruntime.OnnxJavaType;
import io.adastream.adapt.onnx.AdaptiveGraphRewriter;
import io.adastream.adapt.onnx.AdaptiveModel;
import io.adastream.adapt.onnx.BatchNormLayer;
import io.adastream.adapt.onnx.OnnxModel;
import io.adastream.adapt.session.AdaptiveSession;
import io.adastream.adapt.session.SessionConfig;
import io.adastream.adapt.session.Workspace;
import io.adastream.adapt.testing.Arrays2;
import io.adastream.adapt.testing.NetworkBuilder;
import io.adastream.models.spec.ModelSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Small ONNX models whose outputs are integers, an ArgMax (int64) or its Cast to int32, run through a workspace and
 * decoded by the {@code class-ids} and split {@code nms-included} decoders; the answers are worked out from the same
 * run's float outputs (the logits and probabilities the integers were computed from).
 */
class IntegerOutputDecodingTest {

    static int elemType(String type) {
        return type.equals("INT64") ? TensorProto.DataType.INT64_VALUE : TensorProto.DataType.INT32_VALUE;
    }

    /** Runs {@code proto} once on a seeded random input of [1, 3, h, w] with the source statistics. */
    static Workspace runOnce(AdaptiveSession session, AdaptiveModel model, int h, int w, long seed) throws Exception {
        Workspace ws = session.newWorkspace(1);
        ws.input().put(0, Arrays2.gaussian(new Random(seed), 3 * h * w, 0, 1));
        for (BatchNormLayer l : model.layers()) {
            ws.setStatistics(0, l.index(), l.sourceMean(), l.sourceVar());
            ws.setBlend(0, l.index(), 0f);
        }
        ws.run();
        return ws;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"INT64", "INT32"})
    void classIdsFromAnArgMaxAreTheMaskOfTheLogits(String type) throws Exception {
        int k = 3;
        int s = 6;
        NetworkBuilder b = new NetworkBuilder(13, 21);
        String x = b.input("image", -1, 3, s, s);
        x = b.relu(b.batchNorm(b.conv(x, 3, 8, 3, 1, 2), 8));
        String logits = b.conv(x, 8, k, 1, 1, 2);
        String ids = b.argMax(logits, 1, false);
        if (type.equals("INT32")) {
            ids = b.cast(ids, TensorProto.DataType.INT32_VALUE);
        }
        b.output(logits, TensorProto.DataType.FLOAT_VALUE, -1, k, s, s);
        b.output(ids, elemType(type), -1, s, s);
        ModelProto proto = b.build();
        ModelSpec spec = OutputFormatsTest.segmenterOfSize(k, s, s, "\"name\": \"" + ids + "\", \"decoder\": \"class-ids\"");
        AdaptiveModel model = AdaptiveGraphRewriter.rewrite(OnnxModel.of(proto));
        try (AdaptiveSession session = AdaptiveSession.open(model, SessionConfig.cpu().withIntraOpThreads(1));
             Workspace ws = runOnce(session, model, s, s, 4)) {
            assertEquals(OnnxJavaType.valueOf(type), ws.outputType(ids));
            FloatBuffer l = ws.output(logits);
            // the frame is twice the input: each model pixel covers 2x2 frame pixels
            LetterboxTransform t = LetterboxTransform.stretch(2 * s, 2 * s, s, s);
            byte[] mask = ((TaskResult.Segmentation) TaskAdapter.forSpec(spec).decode(new WorkspaceOutputs(ws), 0, t)).mask();
            byte[] expected = new byte[4 * s * s];
            for (int y = 0; y < 2 * s; y++) {
                for (int xx = 0; xx < 2 * s; xx++) {
                    int p = (y / 2) * s + xx / 2;
                    int best = 0;
                    for (int c = 1; c < k; c++) {
                        if (l.get(c * s * s + p) > l.get(best * s * s + p)) {
                            best = c;
                        }
                    }
                    expected[y * 2 * s + xx] = (byte) best;
                }
            }
            assertArrayEquals(expected, mask);
            assertTrue(distinct(expected) > 1, "the check needs more than one class");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"INT64", "INT32"})
    void nmsIncludedClassIdsAndCountAsIntegers(String type) throws Exception {
        int k = 3;
        int rows = 4;   // a 2x2 feature map, one row per cell
        int valid = 3;
        NetworkBuilder b = new NetworkBuilder(13, 8);
        String x = b.input("image", -1, 3, 2, 2);
        x = b.relu(b.batchNorm(b.conv(x, 3, 8, 3, 1, 2), 8));
        String boxes = b.transpose(b.reshape(b.conv(x, 8, 4, 1, 1, 2), 0, 4, rows), 0, 2, 1);         // [N, 4 rows, 4]
        String probs = b.transpose(b.reshape(b.sigmoid(b.conv(x, 8, k, 1, 1, 2)), 0, k, rows), 0, 2, 1); // [N, rows, K]
        String scores = b.reduceMax(probs, 2);
        String classes = b.argMax(probs, 2, false);
        String count = b.constantLongs(new long[]{1}, valid);
        if (type.equals("INT32")) {
            classes = b.cast(classes, TensorProto.DataType.INT32_VALUE);
            count = b.cast(count, TensorProto.DataType.INT32_VALUE);
        }
        b.output(boxes, TensorProto.DataType.FLOAT_VALUE, -1, rows, 4);
        b.output(probs, TensorProto.DataType.FLOAT_VALUE, -1, rows, k);
        b.output(scores, TensorProto.DataType.FLOAT_VALUE, -1, rows);
        b.output(classes, elemType(type), -1, rows);
        b.output(count, elemType(type), 1);
        AdaptiveModel model = AdaptiveGraphRewriter.rewrite(OnnxModel.of(b.build()));
        ModelSpec spec = OutputFormatsTest.detector(k, 2, 2, "\"decoder\": \"nms-included\", \"boxes\": \"" + boxes
                + "\", \"scores\": \"" + scores + "\", \"classIds\": \"" + classes + "\", \"count\": \"" + count
                + "\", \"boxUnits\": \"normalized\", \"classOffset\": 1", 0f, 0.5f, 10);
        try (AdaptiveSession session = AdaptiveSession.open(model, SessionConfig.cpu().withIntraOpThreads(1));
             Workspace ws = runOnce(session, model, 2, 2, 9)) {
            assertEquals(OnnxJavaType.valueOf(type), ws.outputType(classes));
            // by hand: the first 3 rows, class = 1 + argmax of the probabilities, score = their max, boxes as
            // normalised corners of the 2x2 input mapped to the 100x100 frame and clipped to it
            FloatBuffer p = ws.output(probs);
            FloatBuffer bx = ws.output(boxes);
            List<Detection> expected = new ArrayList<>();
            for (int r = 0; r < valid; r++) {
                int best = 0;
                for (int c = 1; c < k; c++) {
                    if (p.get(r * k + c) > p.get(r * k + best)) {
                        best = c;
                    }
                }
                float[] v = {bx.get(4 * r), bx.get(4 * r + 1), bx.get(4 * r + 2), bx.get(4 * r + 3)};
                expected.add(new Detection(best + 1, p.get(r * k + best), new Box(
                        clip(Math.min(v[0], v[2]) * 100), clip(Math.min(v[1], v[3]) * 100),
                        clip(Math.max(v[0], v[2]) * 100), clip(Math.max(v[1], v[3]) * 100))));
            }
            expected.sort((d, e) -> Float.compare(e.score(), d.score()));
            List<Detection> decoded = ((TaskResult.Detections) TaskAdapter.forSpec(spec).decode(new WorkspaceOutputs(ws), 0,
                    LetterboxTransform.stretch(100, 100, 2, 2))).detections();
            assertEquals(valid, decoded.size(), "the count limits the rows");
            for (int i = 0; i < valid; i++) {
                assertEquals(expected.get(i).classId(), decoded.get(i).classId(), "class of row " + i);
                assertEquals(expected.get(i).score(), decoded.get(i).score(), 1e-6f);
                Box e = expected.get(i).box();
                Box d = decoded.get(i).box();
                assertArrayEquals(new float[]{e.x0(), e.y0(), e.x1(), e.y1()}, new float[]{d.x0(), d.y0(), d.x1(), d.y1()}, 1e-3f);
            }
        }
    }

    private static float clip(float v) {
        return Math.max(0, Math.min(100, v));
    }

    private static long distinct(byte[] v) {
        boolean[] seen = new boolean[256];
        long n = 0;
        for (byte b : v) {
            if (!seen[b & 0xFF]) {
                seen[b & 0xFF] = true;
                n++;
            }
        }
        return n;
    }
}
