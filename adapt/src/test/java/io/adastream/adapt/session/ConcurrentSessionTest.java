package io.adastream.adapt.session;

import io.adastream.adapt.onnx.AdaptiveGraphRewriter;
import io.adastream.adapt.onnx.AdaptiveModel;
import io.adastream.adapt.onnx.BatchNormLayer;
import io.adastream.adapt.onnx.OnnxModel;
import io.adastream.adapt.testing.Arrays2;
import io.adastream.adapt.testing.ReferenceNetworks;
import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** One session shared by several threads, each with its own workspace, gives the sequential results. */
class ConcurrentSessionTest {

    @Test
    void threadsSharingASessionGetTheSameResultsAsOneThread() throws Exception {
        AdaptiveModel model = AdaptiveGraphRewriter.rewrite(OnnxModel.of(
                ReferenceNetworks.resnet(13, 32, new int[]{1, 1}, 8, 3)));
        int tasks = 16;
        float[][] inputs = new float[tasks][];
        float[] blends = new float[tasks];
        Random r = new Random(5);
        for (int t = 0; t < tasks; t++) {
            inputs[t] = Arrays2.gaussian(r, 3 * 32 * 32, 0, 1);
            blends[t] = t / (float) tasks;
        }
        try (AdaptiveSession session = AdaptiveSession.open(model, SessionConfig.cpu().withIntraOpThreads(1))) {
            float[][] sequential = new float[tasks][];
            try (Workspace ws = session.newWorkspace(1)) {
                for (int t = 0; t < tasks; t++) {
                    sequential[t] = runOne(ws, model, inputs[t], blends[t]);
                }
            }
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<float[][]>> futures = new ArrayList<>();
                for (int worker = 0; worker < 4; worker++) {
                    final int w = worker;
                    futures.add(pool.submit(() -> {
                        float[][] out = new float[tasks][];
                        try (Workspace ws = session.newWorkspace(1)) {
                            for (int rep = 0; rep < 3; rep++) {
                                for (int t = w % 2; t < tasks; t += 1) {
                                    out[t] = runOne(ws, model, inputs[t], blends[t]);
                                }
                            }
                        }
                        return out;
                    }));
                }
                for (Future<float[][]> f : futures) {
                    float[][] out = f.get(120, TimeUnit.SECONDS);
                    for (int t = 0; t < tasks; t++) {
                        if (out[t] != null) {
                            assertArrayEquals(sequential[t], out[t], 1e-6f);
                        }
                    }
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private static float[] runOne(Workspace ws, AdaptiveModel model, float[] input, float blend) throws Exception {
        ws.input().put(0, input);
        for (BatchNormLayer l : model.layers()) {
            ws.setStatistics(0, l.index(), l.sourceMean(), l.sourceVar());
            ws.setBlend(0, l.index(), blend);
        }
        ws.run();
        FloatBuffer out = ws.output(model.modelOutputs().get(0));
        float[] copy = new float[out.remaining()];
        out.get(copy);
        assertEquals(10, copy.length);
        return copy;
    }
}
