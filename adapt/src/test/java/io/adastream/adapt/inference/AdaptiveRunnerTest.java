package io.adastream.adapt.inference;

import io.adastream.adapt.onnx.AdaptiveGraphRewriter;
import io.adastream.adapt.onnx.AdaptiveModel;
import io.adastream.adapt.onnx.OnnxModel;
import io.adastream.adapt.session.AdaptiveSession;
import io.adastream.adapt.session.SessionConfig;
import io.adastream.adapt.session.Workspace;
import io.adastream.adapt.stats.DomainAdapter;
import io.adastream.adapt.stats.DomainState;
import io.adastream.adapt.stats.FrameOutcome;
import io.adastream.adapt.stats.SourceStatistics;
import io.adastream.adapt.stats.policy.Policies;
import io.adastream.adapt.testing.Arrays2;
import io.adastream.adapt.testing.ReferenceNetworks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fused and two-pass modes, each checked against a direct session run with the statistics it should use. */
class AdaptiveRunnerTest {

    static AdaptiveModel model;
    static AdaptiveSession session;
    static final int SAMPLE = 3 * 32 * 32;

    @BeforeAll
    static void open() throws Exception {
        model = AdaptiveGraphRewriter.rewrite(OnnxModel.of(ReferenceNetworks.resnet(13, 32, new int[]{1, 1}, 8, 9)));
        session = AdaptiveSession.open(model, SessionConfig.cpu().withIntraOpThreads(1));
    }

    @AfterAll
    static void close() throws Exception {
        session.close();
    }

    @Test
    void twoPassPredictsWithTheStatisticsUpdatedByThisFrame() throws Exception {
        SourceStatistics source = SourceStatistics.of(model);
        DomainAdapter adapter = new DomainAdapter(source);
        DomainState state = adapter.newDomain(Policies.create("adabn", Map.of("guard", "0"))); // plain AdaBN
        float[] frame = Arrays2.gaussian(new Random(1), SAMPLE, 0.8, 1.7);
        try (AdaptiveRunner runner = new AdaptiveRunner(session, adapter, AdaptationMode.TWO_PASS);
             Workspace direct = session.newWorkspace(1)) {
            Workspace ws = runner.workspace(1);
            ws.input().put(0, frame);
            FrameOutcome[] outcomes = new FrameOutcome[1];
            runner.run(ws, new DomainState[]{state}, outcomes);
            assertEquals(FrameOutcome.FOLDED, outcomes[0]);
            assertEquals(1, state.frameCount());
            // adabn's first frame replaces the source statistics with the frame's own moments (pass 1, b = 0)
            float[] m = runner.moments(0).mean(0);
            for (int c = 0; c < m.length; c++) {
                assertEquals(m[c], state.fedMean(0)[c], 1e-5);
            }
            float[] expected = runDirect(direct, frame, state, 0f);
            assertArrayEquals(expected, output(ws), 1e-6f);
        }
    }

    @Test
    void fusedPredictsWithTheBlendOfThePreUpdateStatisticsAndTheFrame() throws Exception {
        SourceStatistics source = SourceStatistics.of(model);
        DomainAdapter adapter = new DomainAdapter(source);
        DomainState state = adapter.newDomain(Policies.create("ema", Map.of("momentum", "0.2", "guard", "0")));
        DomainState replica = adapter.newDomain(Policies.create("ema", Map.of("momentum", "0.2", "guard", "0")));
        float[] frame = Arrays2.gaussian(new Random(2), SAMPLE, -0.5, 2.0);
        try (AdaptiveRunner runner = new AdaptiveRunner(session, adapter, AdaptationMode.FUSED);
             Workspace direct = session.newWorkspace(1)) {
            float[] expected = runDirect(direct, frame, replica, 0.2f);
            Workspace ws = runner.workspace(1);
            ws.input().put(0, frame);
            runner.run(ws, new DomainState[]{state}, new FrameOutcome[1]);
            assertArrayEquals(expected, output(ws), 1e-6f);
            assertEquals(1, state.frameCount());
            assertNotEquals(replica.fedMean(0)[0], state.fedMean(0)[0], "the fold moved the statistics");
        }
    }

    @Test
    void aMixedBatchAdaptsEachDomainAsIfAlone() throws Exception {
        SourceStatistics source = SourceStatistics.of(model);
        DomainAdapter adapter = new DomainAdapter(source);
        Random r = new Random(3);
        float[][] frames = new float[3][];
        for (int i = 0; i < 3; i++) {
            frames[i] = Arrays2.gaussian(r, SAMPLE, i, 1 + i);
        }
        DomainState[] together = new DomainState[3];
        DomainState[] alone = new DomainState[3];
        for (int i = 0; i < 3; i++) {
            together[i] = adapter.newDomain(Policies.create("source-prior", Map.of()));
            alone[i] = adapter.newDomain(Policies.create("source-prior", Map.of()));
        }
        try (AdaptiveRunner runner = new AdaptiveRunner(session, adapter, AdaptationMode.FUSED)) {
            Workspace batch = runner.workspace(3);
            for (int i = 0; i < 3; i++) {
                batch.input().put(i * SAMPLE, frames[i]);
            }
            runner.run(batch, together, new FrameOutcome[3]);
            float[] all = output(batch);
            Workspace single = runner.workspace(1);
            for (int i = 0; i < 3; i++) {
                single.input().put(0, frames[i]);
                runner.run(single, new DomainState[]{alone[i]}, new FrameOutcome[1]);
                assertArrayEquals(output(single), java.util.Arrays.copyOfRange(all, i * 10, i * 10 + 10), 1e-6f);
                for (int l = 0; l < model.layerCount(); l++) {
                    assertArrayEquals(alone[i].fedVar(l), together[i].fedVar(l), 1e-6f);
                }
            }
        }
    }

    /**
     * Fused, the frame check is asked about each frame before its fold (its domain still unfolded then): a refused
     * frame comes back REJECTED_OUTPUT with its domain byte-identical, the accepted frame of the same batch folds.
     * Two-pass never asks (its outputs come after the folds).
     */
    @Test
    void aFrameTheCheckRefusesIsNotFoldedFused() throws Exception {
        SourceStatistics source = SourceStatistics.of(model);
        DomainAdapter adapter = new DomainAdapter(source);
        DomainState[] states = {adapter.newDomain(Policies.create("ema", Map.of("momentum", "0.2"))),
                adapter.newDomain(Policies.create("ema", Map.of("momentum", "0.2")))};
        byte[] refusedBefore = io.adastream.adapt.stats.SnapshotCodec.write(states[1]);
        long[] foldedWhenAsked = new long[2];
        try (AdaptiveRunner runner = new AdaptiveRunner(session, adapter, AdaptationMode.FUSED)) {
            Workspace batch = runner.workspace(2);
            for (int i = 0; i < 2; i++) {
                batch.input().put(i * SAMPLE, Arrays2.gaussian(new Random(20 + i), SAMPLE, 0.3, 1.4));
            }
            FrameOutcome[] outcomes = new FrameOutcome[2];
            runner.run(batch, states, outcomes, frame -> {
                foldedWhenAsked[frame] = states[frame].frameCount();
                return frame == 0;
            });
            assertEquals(FrameOutcome.FOLDED, outcomes[0]);
            assertEquals(FrameOutcome.REJECTED_OUTPUT, outcomes[1]);
            assertArrayEquals(new long[]{0, 0}, foldedWhenAsked, "asked before the fold");
            assertEquals(1, states[0].frameCount());
            assertArrayEquals(refusedBefore, io.adastream.adapt.stats.SnapshotCodec.write(states[1]));
            assertTrue(Double.isNaN(runner.score(1)));
        }
        try (AdaptiveRunner runner = new AdaptiveRunner(session, adapter, AdaptationMode.TWO_PASS)) {
            Workspace one = runner.workspace(1);
            one.input().put(0, Arrays2.gaussian(new Random(22), SAMPLE, 0.3, 1.4));
            FrameOutcome[] outcomes = new FrameOutcome[1];
            runner.run(one, new DomainState[]{states[1]}, outcomes, frame -> {
                throw new AssertionError("two-pass must not ask before its prediction pass");
            });
            assertEquals(FrameOutcome.FOLDED, outcomes[0]);
        }
    }

    /**
     * Two frames of domain A and one of domain B in one batch, fused: both A frames are normalized with A's
     * statistics from before the batch, blended by the weight of A's next fold (ema: 0.2), and then fold in frame
     * order. The known answer: each frame run alone with those statistics, and the ema recursion written out here.
     */
    @Test
    void twoFramesOfOneDomainInABatchUseThePreBatchStatisticsThenFoldInOrderFused() throws Exception {
        sameDomainInOneBatch(AdaptationMode.FUSED);
    }

    /**
     * The same batch, two-pass: pass 1 collects every frame's moments with b = 0 and the pre-batch statistics, the
     * folds run in frame order, and A's first frame is predicted with A after one fold, its second after both.
     */
    @Test
    void twoFramesOfOneDomainInABatchUseThePreBatchStatisticsThenFoldInOrderTwoPass() throws Exception {
        sameDomainInOneBatch(AdaptationMode.TWO_PASS);
    }

    private void sameDomainInOneBatch(AdaptationMode mode) throws Exception {
        double w = 0.2;
        Map<String, String> ema = Map.of("momentum", "0.2", "guard", "0"); // the recursion itself, unguarded
        SourceStatistics source = SourceStatistics.of(model);
        DomainAdapter adapter = new DomainAdapter(source);
        DomainState a = adapter.newDomain(Policies.create("ema", ema));
        DomainState b = adapter.newDomain(Policies.create("ema", ema));
        Random r = new Random(7);
        float[][] frames = {Arrays2.gaussian(r, SAMPLE, 0.4, 1.3), Arrays2.gaussian(r, SAMPLE, -0.2, 0.8),
                Arrays2.gaussian(r, SAMPLE, 1.0, 2.0)};
        int layers = model.layerCount();
        float blend = mode == AdaptationMode.FUSED ? (float) w : 0f;
        // frames alone with the pre-batch (source) statistics: outputs and moments every frame must get
        float[][] aloneOut = new float[3][];
        float[][][] aloneMean = new float[3][layers][];
        float[][][] aloneVar = new float[3][layers][];
        try (Workspace direct = session.newWorkspace(1)) {
            for (int i = 0; i < 3; i++) {
                aloneOut[i] = runDirect(direct, frames[i], a, blend);
                for (int l = 0; l < layers; l++) {
                    aloneMean[i][l] = new float[model.channels()[l]];
                    aloneVar[i][l] = new float[model.channels()[l]];
                    direct.copyMoments(0, l, aloneMean[i][l], aloneVar[i][l]);
                }
            }
        }
        // the ema recursion, moment-exact, frame 0 then frame 1 of domain A (in double, from the source statistics)
        double[][][] meanAfter = new double[2][layers][];
        double[][][] varAfter = new double[2][layers][];
        for (int l = 0; l < layers; l++) {
            int c = model.channels()[l];
            double[] mu = new double[c];
            double[] var = new double[c];
            for (int k = 0; k < c; k++) {
                mu[k] = model.layers().get(l).sourceMean()[k];
                var[k] = model.layers().get(l).sourceVar()[k];
            }
            for (int f = 0; f < 2; f++) {
                for (int k = 0; k < c; k++) {
                    double delta = aloneMean[f][l][k] - mu[k];
                    mu[k] += w * delta;
                    var[k] = (1 - w) * var[k] + w * aloneVar[f][l][k] + w * (1 - w) * delta * delta;
                }
                meanAfter[f][l] = mu.clone();
                varAfter[f][l] = var.clone();
            }
        }

        try (AdaptiveRunner runner = new AdaptiveRunner(session, adapter, mode)) {
            Workspace batch = runner.workspace(3);
            for (int i = 0; i < 3; i++) {
                batch.input().put(i * SAMPLE, frames[i]);
            }
            FrameOutcome[] outcomes = new FrameOutcome[3];
            runner.run(batch, new DomainState[]{a, a, b}, outcomes);
            assertEquals(java.util.List.of(FrameOutcome.FOLDED, FrameOutcome.FOLDED, FrameOutcome.FOLDED),
                    java.util.List.of(outcomes));
            assertEquals(2, a.frameCount());
            assertEquals(1, b.frameCount());
            for (int l = 0; l < layers; l++) {
                for (int k = 0; k < model.channels()[l]; k++) {
                    assertEquals(meanAfter[1][l][k], a.mean(l, k), 1e-5 * (1 + Math.abs(meanAfter[1][l][k])), "mean " + l + "/" + k);
                    assertEquals(varAfter[1][l][k], a.var(l, k), 1e-5 * (1 + varAfter[1][l][k]), "var " + l + "/" + k);
                }
            }
            float[] all = output(batch);
            float[] third = java.util.Arrays.copyOfRange(all, 20, 30);
            if (mode == AdaptationMode.FUSED) {
                for (int i = 0; i < 3; i++) {
                    assertArrayEquals(aloneOut[i], java.util.Arrays.copyOfRange(all, i * 10, i * 10 + 10), 1e-5f, "frame " + i);
                }
            } else {
                try (Workspace direct = session.newWorkspace(1)) {
                    for (int f = 0; f < 2; f++) {
                        float[] expected = runDirect(direct, frames[f], meanAfter[f], varAfter[f]);
                        assertArrayEquals(expected, java.util.Arrays.copyOfRange(all, f * 10, f * 10 + 10), 1e-5f, "frame " + f);
                    }
                    assertArrayEquals(runDirect(direct, frames[2], b, 0f), third, 1e-5f, "B after its own fold");
                }
            }
        }
    }

    @Test
    void aFrameWithNonFiniteMomentsLeavesTheDomainUntouched() throws Exception {
        SourceStatistics source = SourceStatistics.of(model);
        DomainAdapter adapter = new DomainAdapter(source);
        DomainState state = adapter.newDomain(Policies.create("adabn", Map.of()));
        float[] frame = Arrays2.gaussian(new Random(4), SAMPLE, 0, 1);
        frame[17] = Float.NaN;
        try (AdaptiveRunner runner = new AdaptiveRunner(session, adapter, AdaptationMode.FUSED)) {
            Workspace ws = runner.workspace(1);
            ws.input().put(0, frame);
            long version = state.version();
            float[] before = state.fedMean(0).clone();
            FrameOutcome[] outcome = new FrameOutcome[1];
            runner.run(ws, new DomainState[]{state}, outcome);
            assertEquals(FrameOutcome.REJECTED_NON_FINITE, outcome[0]);
            assertEquals(version, state.version());
            assertEquals(0, state.frameCount());
            assertArrayEquals(before, state.fedMean(0));
            assertTrue(Double.isNaN(runner.score(0)));
        }
    }

    /** One plain session run with the state's fed statistics and a uniform blend weight. */
    private static float[] runDirect(Workspace ws, float[] frame, DomainState state, float blend) throws Exception {
        ws.input().put(0, frame);
        for (int l = 0; l < model.layerCount(); l++) {
            ws.setStatistics(0, l, state.fedMean(l), state.fedVar(l));
            ws.setBlend(0, l, blend);
        }
        ws.run();
        return output(ws);
    }

    /** One plain session run with given statistics (rounded to float) and blend 0. */
    private static float[] runDirect(Workspace ws, float[] frame, double[][] mean, double[][] var) throws Exception {
        ws.input().put(0, frame);
        for (int l = 0; l < model.layerCount(); l++) {
            float[] m = new float[mean[l].length];
            float[] v = new float[var[l].length];
            for (int k = 0; k < m.length; k++) {
                m[k] = (float) mean[l][k];
                v[k] = (float) var[l][k];
            }
            ws.setStatistics(0, l, m, v);
            ws.setBlend(0, l, 0f);
        }
        ws.run();
        return output(ws);
    }

    private static float[] output(Workspace ws) throws Exception {
        FloatBuffer b = ws.output(model.modelOutputs().get(0));
        float[] out = new float[b.remaining()];
        b.get(out);
        return out;
    }
}
