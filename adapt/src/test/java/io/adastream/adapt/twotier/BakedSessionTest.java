package io.adastream.adapt.twotier;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import io.adastream.adapt.onnx.AdaptiveGraphRewriter;
import io.adastream.adapt.onnx.AdaptiveModel;
import io.adastream.adapt.onnx.BatchNormLayer;
import io.adastream.adapt.onnx.OnnxModel;
import io.adastream.adapt.session.AdaptiveSession;
import io.adastream.adapt.session.BakedSession;
import io.adastream.adapt.session.SessionConfig;
import io.adastream.adapt.session.Workspace;
import io.adastream.adapt.testing.Arrays2;
import io.adastream.adapt.testing.ReferenceNetworks;
import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A baked session predicts what the adaptive graph predicts at blend 0 with the same statistics, to float32
 * rounding. The tolerance: the two graphs differ only in where each BatchNorm's affine map is applied (ONNX Runtime
 * folds it into the convolution's weights for the baked model), so each layer's output differs by the rounding of
 * a fan-in of n products, about sqrt(n)·u relative (u = 2⁻²⁴), and those errors add over the L convolutions of the
 * deepest path (normalization keeps activations of order 1); the tolerance is 10·L·sqrt(n)·u, the factor 10 for the
 * head and the worst elements among thousands.
 */
class BakedSessionTest {

    /** The reference network: stem, two basic blocks (one strided with a 1x1 shortcut), width 8 then 16; 6 BN layers. */
    private static final ModelProto NETWORK = ReferenceNetworks.resnet(13, 32, new int[]{1, 1}, 8, 5);
    /** Convolutions on the deepest path (stem, two per block), and the largest fan-in (16 channels x 3 x 3). */
    private static final int DEPTH = 5;
    private static final int MAX_FAN_IN = 16 * 9;
    static final double TOLERANCE = 10 * DEPTH * Math.sqrt(MAX_FAN_IN) * Math.ulp(1.0f) / 2;

    @Test
    void bakedSessionEqualsTheAdaptiveGraphAtBlendZeroWithTheSameStatistics() throws Exception {
        OnnxModel model = OnnxModel.of(NETWORK);
        AdaptiveModel adaptive = AdaptiveGraphRewriter.rewrite(model);
        Random r = new Random(2);
        BakedStatistics stats = randomStatistics(adaptive, r);
        BakedStatistics other = randomStatistics(adaptive, r);
        String out = adaptive.modelOutputs().get(0);
        try (AdaptiveSession session = AdaptiveSession.open(adaptive, SessionConfig.cpu().withIntraOpThreads(1));
             Workspace ws = session.newWorkspace(2);
             BakedSession baked = BakedSession.open(BakedModels.bake(model, adaptive.layers(), stats),
                     SessionConfig.cpu().withIntraOpThreads(1));
             BakedSession bakedOther = BakedSession.open(BakedModels.bake(model, adaptive.layers(), other),
                     SessionConfig.cpu().withIntraOpThreads(1))) {
            ws.input().put(0, Arrays2.gaussian(r, 2 * 3 * 32 * 32, 0.2, 1.1));
            for (int i = 0; i < 2; i++) {
                for (int l = 0; l < adaptive.layerCount(); l++) {
                    ws.setStatistics(i, l, stats.mean(l), stats.var(l));
                    ws.setBlend(i, l, 0f);
                }
            }
            ws.run();
            float[] expected = read(ws.output(out));
            baked.run(ws);
            float[] actual = read(ws.output(out));
            double diff = Arrays2.maxScaledDiff(actual, expected);
            System.out.printf("baked vs adaptive at blend 0: max scaled difference %.2e (tolerance %.2e)%n", diff, TOLERANCE);
            assertTrue(diff <= TOLERANCE, "max scaled diff " + diff + " > " + TOLERANCE);
            bakedOther.run(ws);
            assertTrue(Arrays2.maxScaledDiff(read(ws.output(out)), expected) > 1e-3, "the baked statistics must matter");
        }
    }

    @Test
    void initializersListedAsInputsAreConstantsInTheBakedModel() throws Exception {
        ModelProto listed = withInitializersAsInputs(NETWORK);
        OnnxModel model = OnnxModel.of(listed);
        AdaptiveModel adaptive = AdaptiveGraphRewriter.rewrite(model);
        BakedStatistics stats = randomStatistics(adaptive, new Random(4));
        ModelProto baked = ModelProto.parseFrom(BakedModels.bake(model, adaptive.layers(), stats));
        assertEquals(1, baked.getGraph().getInputCount(), "only the image is an input");
        assertEquals("image", baked.getGraph().getInput(0).getName());
        assertTrue(listed.getGraph().getInputCount() > 20);
        assertArrayEquals(BakedModels.bake(model, adaptive.layers(), stats),
                BakedModels.bake(model, adaptive.layers(), BakedStatistics.of(copies(stats, 0), copies(stats, 1))),
                "the same statistics give the same bytes");
    }

    @Test
    void theCacheKeepsAtMostItsBoundAndARebuiltSessionPredictsBitForBitAsBefore() throws Exception {
        OnnxModel model = OnnxModel.of(NETWORK);
        AdaptiveModel adaptive = AdaptiveGraphRewriter.rewrite(model);
        Random r = new Random(9);
        BakedStatistics[] stats = {randomStatistics(adaptive, r), randomStatistics(adaptive, r), randomStatistics(adaptive, r)};
        String out = adaptive.modelOutputs().get(0);
        SessionConfig config = SessionConfig.cpu().withIntraOpThreads(1);
        try (AdaptiveSession session = AdaptiveSession.open(adaptive, config);
             Workspace ws = session.newWorkspace(1);
             BakedSessionCache cache = new BakedSessionCache(model, adaptive.layers(), config, 2)) {
            ws.input().put(0, Arrays2.gaussian(r, 3 * 32 * 32, 0, 1));
            float[][] first = new float[3][];
            for (int k = 0; k < 3; k++) {
                cache.session(stats[k]).run(ws);
                first[k] = read(ws.output(out));
                assertTrue(cache.size() <= 2);
            }
            assertEquals(3, cache.builds());
            assertEquals(2, cache.size());
            cache.session(stats[2]).run(ws); // cached
            assertEquals(1, cache.hits());
            assertArrayEquals(first[2], read(ws.output(out)));
            // stats[0] was evicted: rebuilt from the same statistics (a copy, as read back after a restart)
            cache.session(BakedStatistics.of(copies(stats[0], 0), copies(stats[0], 1))).run(ws);
            assertEquals(4, cache.builds());
            assertArrayEquals(first[0], read(ws.output(out)), "a rebuilt session predicts exactly as the first one");
        }
    }

    static BakedStatistics randomStatistics(AdaptiveModel adaptive, Random r) {
        int layers = adaptive.layerCount();
        float[][] mean = new float[layers][];
        float[][] var = new float[layers][];
        for (BatchNormLayer l : adaptive.layers()) {
            mean[l.index()] = Arrays2.gaussian(r, l.channels(), 0.3, 0.5);
            var[l.index()] = new float[l.channels()];
            for (int c = 0; c < l.channels(); c++) {
                var[l.index()][c] = (float) (0.3 + 2 * r.nextDouble());
            }
        }
        return BakedStatistics.of(mean, var);
    }

    private static float[][] copies(BakedStatistics s, int which) {
        float[][] out = new float[s.layers()][];
        for (int l = 0; l < s.layers(); l++) {
            out[l] = which == 0 ? s.mean(l) : s.var(l);
        }
        return out;
    }

    private static float[] read(FloatBuffer b) {
        float[] v = new float[b.remaining()];
        b.get(v);
        return v;
    }

    /** The model as older exporters write it: every initializer also listed as a graph input. */
    private static ModelProto withInitializersAsInputs(ModelProto m) {
        GraphProto.Builder g = m.getGraph().toBuilder();
        for (TensorProto t : m.getGraph().getInitializerList()) {
            TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
            t.getDimsList().forEach(d -> shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d)));
            g.addInput(ValueInfoProto.newBuilder().setName(t.getName()).setType(TypeProto.newBuilder()
                    .setTensorType(TypeProto.Tensor.newBuilder().setElemType(t.getDataType()).setShape(shape))));
        }
        return m.toBuilder().setGraph(g).build();
    }
}
