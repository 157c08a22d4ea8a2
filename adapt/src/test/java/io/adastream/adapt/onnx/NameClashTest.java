package io.adastream.adapt.onnx;

import ai.onnx.proto.OnnxMl.ModelProto;
import io.adastream.adapt.session.AdaptiveSession;
import io.adastream.adapt.session.SessionConfig;
import io.adastream.adapt.session.Workspace;
import io.adastream.adapt.testing.Arrays2;
import io.adastream.adapt.testing.NetworkBuilder;
import io.adastream.adapt.testing.PlainOrt;
import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** A model whose own tensor names collide with the names the rewrite would pick internally. */
class NameClashTest {

    @Test
    void internalNamesNeverCaptureTheModelsTensors() throws Exception {
        NetworkBuilder b = new NetworkBuilder(18, 2);
        String x = b.input("x", -1, 3, 6, 6);
        x = b.conv(x, 3, 4, 3, 1, 2);
        b.renameLast("adastream/0/shifted");
        x = b.batchNorm("adastream/0/shifted", 4);
        b.renameLast("adastream/shape_n_c_s");
        x = b.relu("adastream/shape_n_c_s");
        b.renameLast("adastream/0/s1");
        x = b.batchNorm("adastream/0/s1", 4);
        b.renameLast("adastream/1/x_shape");
        b.output("adastream/1/x_shape");
        ModelProto m = b.build();

        float[] input = Arrays2.gaussian(new Random(1), 2 * 3 * 36, 0, 1);
        long[] shape = {2, 3, 6, 6};
        float[] expected = PlainOrt.run(m, "x", input, shape, "adastream/1/x_shape");
        AdaptiveModel adaptive = AdaptiveGraphRewriter.rewrite(OnnxModel.of(m));
        try (AdaptiveSession s = AdaptiveSession.open(adaptive, SessionConfig.cpu().withIntraOpThreads(1));
             Workspace ws = s.newWorkspace(2)) {
            ws.input().put(0, input);
            for (int f = 0; f < 2; f++) {
                for (BatchNormLayer l : adaptive.layers()) {
                    ws.setStatistics(f, l.index(), l.sourceMean(), l.sourceVar());
                }
            }
            ws.run();
            FloatBuffer out = ws.output("adastream/1/x_shape");
            float[] actual = new float[out.remaining()];
            out.get(actual);
            assertTrue(Arrays2.maxScaledDiff(actual, expected) <= 1e-5);
        }
    }
}
