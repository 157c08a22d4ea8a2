package io.adastream.adapt.onnx;

import ai.onnx.proto.OnnxMl.ModelProto;
import io.adastream.adapt.session.AdaptiveSession;
import io.adastream.adapt.session.BatchCheck;
import io.adastream.adapt.session.SessionConfig;
import io.adastream.adapt.session.Workspace;
import io.adastream.adapt.testing.Arrays2;
import io.adastream.adapt.testing.NetworkBuilder;
import io.adastream.adapt.testing.PlainOrt;
import io.adastream.adapt.testing.TinySegmenter;
import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Graphs exported with their batch fixed to 1: freed where the graph allows, proven by a batch of 2, else kept at 1. */
class BatchDimensionTest {

    static final int SAMPLE = 3 * 8 * 8;

    /** Static batch 1 everywhere (input, output, Reshape to [1, 4, -1] and to [1, 4, 8, 8]), but nothing mixes samples. */
    static ModelProto staticBatchOne() {
        NetworkBuilder b = new NetworkBuilder(13, 5);
        String x = b.input("image", 1, 3, 8, 8);
        x = b.relu(b.batchNorm(b.conv(x, 3, 4, 3, 1, 2), 4));
        x = b.softmax(b.reshape(x, 1, 4, -1), 2);
        x = b.reshape(x, 1, 4, 8, 8);
        x = b.relu(b.batchNorm(b.conv(x, 4, 4, 3, 1, 2), 4));
        String out = b.conv(x, 4, 2, 1, 1, 2);
        b.floatOutput(out, 1, 2, 8, 8);
        return b.build();
    }

    /** Reshapes to [4, 64], dropping the batch axis: no batch of 2 fits through it. */
    static ModelProto batchDropped() {
        NetworkBuilder b = new NetworkBuilder(13, 6);
        String x = b.input("image", 1, 3, 8, 8);
        x = b.relu(b.batchNorm(b.conv(x, 3, 4, 3, 1, 2), 4));
        x = b.softmax(b.reshape(x, 4, 64), 1);
        x = b.reshape(x, 1, 4, 8, 8);
        b.floatOutput(b.conv(x, 4, 2, 1, 1, 2), 1, 2, 8, 8);
        return b.build();
    }

    @Test
    void aStaticBatchOneGraphIsFreedAndItsBatchOfTwoIsTwoRunsOfTheOriginal() throws Exception {
        ModelProto proto = staticBatchOne();
        OnnxModel original = OnnxModel.of(proto);
        assertFalse(check(original).batchable(), "the original refuses a batch of 2");

        BatchDimension.Freed freed = BatchDimension.free(original);
        assertEquals(List.of("input 'image' declared batch 1", "output '" + proto.getGraph().getOutput(0).getName()
                + "' declared batch 1", "2 Reshapes to a constant shape [1, ...]"), freed.changes());
        assertArrayEquals(original.fingerprint(), freed.model().fingerprint(), "the fingerprint is the original's");
        BatchCheck.Result verdict = check(freed.model());
        assertTrue(verdict.batchable(), verdict.reason());

        // the known answer: the original model, untouched, one frame at a time
        Random r = new Random(11);
        float[][] frames = {Arrays2.gaussian(r, SAMPLE, 0.3, 1.2), Arrays2.gaussian(r, SAMPLE, -0.7, 0.6)};
        String output = proto.getGraph().getOutput(0).getName();
        AdaptiveModel adaptive = AdaptiveGraphRewriter.rewrite(freed.model());
        try (AdaptiveSession session = AdaptiveSession.open(adaptive, SessionConfig.cpu().withIntraOpThreads(1));
             Workspace ws = session.newWorkspace(2)) {
            for (int f = 0; f < 2; f++) {
                ws.input().put(f * SAMPLE, frames[f]);
                for (BatchNormLayer l : adaptive.layers()) {
                    ws.setStatistics(f, l.index(), l.sourceMean(), l.sourceVar());
                    ws.setBlend(f, l.index(), 0f);
                }
            }
            ws.run();
            FloatBuffer batch = ws.output(output);
            int per = 2 * 8 * 8;
            assertEquals(2 * per, batch.remaining());
            for (int f = 0; f < 2; f++) {
                float[] alone = PlainOrt.run(proto, "image", frames[f], new long[]{1, 3, 8, 8}, output);
                float[] inBatch = new float[per];
                batch.get(f * per, inBatch);
                assertTrue(Arrays2.maxScaledDiff(inBatch, alone) < 1e-4, "frame " + f + " of the batch");
            }
        }
    }

    @Test
    void aGraphThatDropsTheBatchAxisStaysAtBatchOneWithTheReason() throws Exception {
        OnnxModel original = OnnxModel.of(batchDropped());
        BatchDimension.Freed freed = BatchDimension.free(original);
        assertTrue(freed.changed(), "its declared batch and the Reshape to [1, 4, 8, 8] look freeable");
        BatchCheck.Result verdict = check(freed.model());
        assertFalse(verdict.batchable());
        assertTrue(verdict.reason().startsWith("ONNX Runtime cannot run it at batch 2"), verdict.reason());
        assertEquals(1, verdict.reason().lines().count());
    }

    @Test
    void aGraphWithASymbolicBatchIsLeftAsItIs() throws Exception {
        OnnxModel tiny = OnnxModel.of(TinySegmenter.SERVICE.proto());
        BatchDimension.Freed freed = BatchDimension.free(tiny);
        assertFalse(freed.changed());
        assertSame(tiny, freed.model());
        assertTrue(check(tiny).batchable());
    }

    private static BatchCheck.Result check(OnnxModel model) throws Exception {
        try (AdaptiveSession session = AdaptiveSession.open(AdaptiveGraphRewriter.rewrite(model),
                SessionConfig.cpu().withIntraOpThreads(1))) {
            return BatchCheck.run(session, Map.of());
        }
    }
}
