package io.adastream.adapt.session;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnxruntime.OnnxJavaType;
import io.adastream.adapt.onnx.AdaptiveGraphRewriter;
import io.adastream.adapt.onnx.AdaptiveModel;
import io.adastream.adapt.onnx.BatchNormLayer;
import io.adastream.adapt.onnx.OnnxModel;
import io.adastream.adapt.testing.Arrays2;
import io.adastream.adapt.testing.NetworkBuilder;
import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A workspace reads int64 and int32 model outputs (an ArgMax over class logits and its Cast) from pinned buffers that
 * each run refills, and refuses to read other element types with one line.
 */
class IntegerOutputsTest {

    static final int K = 4;
    static final int S = 8;
    static final int BATCH = 2;

    /** Conv+BN+ReLU, a 1x1 head to K logits, and the logits' ArgMax as int64 (pinned and not), int32 and uint8. */
    static ModelProto model() {
        NetworkBuilder b = new NetworkBuilder(13, 3);
        String x = b.input("image", -1, 3, S, S);
        x = b.relu(b.batchNorm(b.conv(x, 3, 6, 3, 1, 2), 6));
        String logits = b.conv(x, 6, K, 1, 1, 2);
        String ids = b.argMax(logits, 1, false);
        String ids32 = b.cast(ids, TensorProto.DataType.INT32_VALUE);
        String kept = b.argMax(logits, 1, true);
        String bytes = b.cast(ids, TensorProto.DataType.UINT8_VALUE);
        b.output(logits, TensorProto.DataType.FLOAT_VALUE, -1, K, S, S);
        b.output(ids, TensorProto.DataType.INT64_VALUE, -1, S, S);
        b.output(ids32, TensorProto.DataType.INT32_VALUE, -1, S, S);
        b.output(kept, TensorProto.DataType.INT64_VALUE);          // shape left unspecified: not pinned
        b.output(bytes, TensorProto.DataType.UINT8_VALUE, -1, S, S);
        return b.build();
    }

    @Test
    void argMaxAndCastOutputsAreReadAsIntegersFromBuffersEachRunRefills() throws Exception {
        ModelProto proto = model();
        String logits = proto.getGraph().getOutput(0).getName();
        String ids = proto.getGraph().getOutput(1).getName();
        String ids32 = proto.getGraph().getOutput(2).getName();
        String kept = proto.getGraph().getOutput(3).getName();
        String bytes = proto.getGraph().getOutput(4).getName();
        AdaptiveModel model = AdaptiveGraphRewriter.rewrite(OnnxModel.of(proto));
        Random r = new Random(11);
        try (AdaptiveSession session = AdaptiveSession.open(model, SessionConfig.cpu().withIntraOpThreads(1));
             Workspace ws = session.newWorkspace(BATCH)) {
            assertEquals(OnnxJavaType.FLOAT, ws.outputType(logits));
            assertEquals(OnnxJavaType.INT64, ws.outputType(ids));
            assertEquals(OnnxJavaType.INT32, ws.outputType(ids32));
            assertEquals(OnnxJavaType.UINT8, ws.outputType(bytes));
            LongBuffer firstView = null;
            for (int run = 0; run < 2; run++) {
                ws.input().put(0, Arrays2.gaussian(r, BATCH * 3 * S * S, 0, 1));
                for (BatchNormLayer l : model.layers()) {
                    for (int f = 0; f < BATCH; f++) {
                        ws.setStatistics(f, l.index(), l.sourceMean(), l.sourceVar());
                        ws.setBlend(f, l.index(), 0f);
                    }
                }
                ws.run();
                long[] expected = argMax(ws.output(logits));
                assertArrayEquals(new long[]{BATCH, S, S}, ws.outputShape(ids));
                assertArrayEquals(expected, longs(ws.longOutput(ids)));
                assertArrayEquals(expected, longs(ws.intOutput(ids32)));
                assertArrayEquals(new long[]{BATCH, 1, S, S}, ws.outputShape(kept));
                assertArrayEquals(expected, longs(ws.longOutput(kept)));
                float[] asFloats = ws.outputAsFloats(ids32);
                for (int i = 0; i < expected.length; i++) {
                    assertEquals(expected[i], asFloats[i]);
                }
                assertTrue(java.util.Arrays.stream(expected).distinct().count() > 1, "the check needs more than one class");
                if (run == 0) {
                    firstView = ws.longOutput(ids);
                } else {
                    // the view taken after the first run reads the second run's ids: the same pinned buffer, refilled
                    assertArrayEquals(expected, longs(firstView));
                }
            }
            IllegalArgumentException asFloat = assertThrows(IllegalArgumentException.class, () -> ws.output(ids));
            assertEquals("model output '" + ids + "' is INT64, not FLOAT", asFloat.getMessage());
            IllegalArgumentException other = assertThrows(IllegalArgumentException.class, () -> ws.longOutput(bytes));
            assertEquals("model output '" + bytes + "' is UINT8, not INT64; the service reads FLOAT, INT64 and INT32 "
                    + "outputs only", other.getMessage());
        }
    }

    /** The class of the largest logit per pixel, first on ties, over a [N, K, S, S] buffer. */
    private static long[] argMax(FloatBuffer logits) {
        long[] out = new long[BATCH * S * S];
        for (int n = 0; n < BATCH; n++) {
            for (int p = 0; p < S * S; p++) {
                int best = 0;
                for (int k = 1; k < K; k++) {
                    if (logits.get((n * K + k) * S * S + p) > logits.get((n * K + best) * S * S + p)) {
                        best = k;
                    }
                }
                out[n * S * S + p] = best;
            }
        }
        return out;
    }

    private static long[] longs(LongBuffer b) {
        long[] out = new long[b.limit()];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.get(i);
        }
        return out;
    }

    private static long[] longs(IntBuffer b) {
        long[] out = new long[b.limit()];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.get(i);
        }
        return out;
    }
}
