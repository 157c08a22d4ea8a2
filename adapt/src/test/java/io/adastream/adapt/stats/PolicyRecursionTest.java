package io.adastream.adapt.stats;

import io.adastream.adapt.stats.policy.AdaptationPolicy;
import io.adastream.adapt.stats.policy.Policies;
import io.adastream.adapt.stats.shift.DetectorSettings;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each policy's fold against closed-form answers computed independently in double. */
class PolicyRecursionTest {

    private final Random random = new Random(42);
    private final SourceStatistics source = StatsFixtures.source(random, 3, 5);
    private final DomainAdapter adapter = new DomainAdapter(source, DetectorSettings.disabled());

    /** A domain with the agreement guard off: these tests check the fold's recursion (AgreementGuardTest the guard). */
    private DomainState domain(String policy, Map<String, String> params) {
        Map<String, String> unguarded = new java.util.HashMap<>(params);
        if (!policy.equals("source")) {
            unguarded.putIfAbsent("guard", "0");
        }
        return adapter.newDomain(Policies.create(policy, unguarded));
    }

    @Test
    void adabnEqualsTwoPassStatisticsOverAllPixels() {
        int frames = 25;
        int pixels = 64;
        DomainState state = domain("adabn", Map.of());
        FrameMoments moments = new FrameMoments(source);
        double[][][] all = new double[source.layers()][][];
        for (int l = 0; l < source.layers(); l++) {
            all[l] = new double[source.channels(l)][frames * pixels];
        }
        for (int t = 0; t < frames; t++) {
            double frameShift = 3 * random.nextGaussian();
            for (int l = 0; l < source.layers(); l++) {
                for (int c = 0; c < source.channels(l); c++) {
                    double s = 0;
                    double[] x = new double[pixels];
                    for (int p = 0; p < pixels; p++) {
                        x[p] = frameShift + c + (1 + l) * random.nextGaussian();
                        all[l][c][t * pixels + p] = x[p];
                        s += x[p];
                    }
                    double m = s / pixels;
                    double q = 0;
                    for (double xi : x) {
                        q += (xi - m) * (xi - m);
                    }
                    moments.mean(l)[c] = (float) m;
                    moments.var(l)[c] = (float) (q / pixels);
                }
            }
            assertEquals(FrameOutcome.FOLDED, adapter.onFrame(state, moments));
        }
        for (int l = 0; l < source.layers(); l++) {
            for (int c = 0; c < source.channels(l); c++) {
                double[] x = all[l][c];
                double mean = 0;
                for (double xi : x) {
                    mean += xi;
                }
                mean /= x.length;
                double var = 0;
                for (double xi : x) {
                    var += (xi - mean) * (xi - mean);
                }
                var /= x.length;
                // frame moments are float32, so agreement is to float precision
                assertEquals(mean, state.mean(l, c), 1e-5 * (1 + Math.abs(mean)));
                assertEquals(var, state.var(l, c), 2e-6 * var);
                assertEquals((float) state.mean(l, c), state.fedMean(l)[c]);
            }
        }
        assertEquals(frames, state.frameCount());
        assertEquals(frames, state.effectiveCount(), 0);
        assertEquals(0.0, state.sourceWeight(), 0);
    }

    @Test
    void adabnWindowBecomesAnEmaWithWeightOneOverWindow() {
        DomainState state = domain("adabn", Map.of("window", "8"));
        FrameMoments f = new FrameMoments(source);
        double[] expected = {1, 1 / 2.0, 1 / 3.0, 1 / 4.0, 1 / 5.0, 1 / 6.0, 1 / 7.0, 1 / 8.0, 1 / 8.0, 1 / 8.0};
        for (double w : expected) {
            StatsFixtures.randomFrame(random, f, 0);
            adapter.onFrame(state, f);
            assertEquals(w, adapter.lastWeight(), 1e-15);
        }
    }

    @Test
    void momentumDecayFollowsTheDuaSchedule() {
        DomainState state = domain("momentum-decay", Map.of());
        FrameMoments f = new FrameMoments(source);
        double mu = source.mean(0, 0);
        double sigma2 = source.var(0, 0);
        double keep = 1;
        for (int k = 1; k <= 10; k++) {
            double w = 0.1 * Math.pow(0.94, k) + 0.005;
            StatsFixtures.randomFrame(random, f, 1);
            adapter.onFrame(state, f);
            assertEquals(w, adapter.lastWeight(), 1e-15);
            double d = f.mean(0)[0] - mu;
            mu += w * d;
            sigma2 = (1 - w) * sigma2 + w * f.var(0)[0] + w * (1 - w) * d * d;
            keep *= 1 - w;
            assertEquals(mu, state.mean(0, 0), 1e-12);
            assertEquals(sigma2, state.var(0, 0), 1e-12);
            // the schedule's documented anchors, checked on the policy's own weights
            if (k == 1) {
                assertEquals(0.0990, adapter.lastWeight(), 5e-5);
            }
            if (k == 10) {
                assertEquals(0.0589, adapter.lastWeight(), 5e-5);
            }
        }
        assertEquals(0.447, state.sourceWeight(), 5e-4);
        assertEquals(keep, state.sourceWeight(), 1e-15);
    }

    @Test
    void momentumDecayExponentialFlavourDecaysToItsFloor() {
        DomainState state = domain("momentum-decay", Map.of("schedule", "exponential", "m0", "0.1", "alpha", "0.08",
                "floor", "0.002"));
        FrameMoments f = new FrameMoments(source);
        double[] weights = new double[61];
        for (int k = 1; k <= 60; k++) {
            StatsFixtures.randomFrame(random, f, 0);
            adapter.onFrame(state, f);
            weights[k] = adapter.lastWeight();
            assertEquals(Math.max(0.1 * Math.exp(-0.08 * (k - 1)), 0.002), weights[k], 1e-15);
        }
        // UBNA's anchors (k counted from 0 there, from 1 here): w_0 = 0.1, w_10 = 0.0449; then the floor
        assertEquals(0.1, weights[1], 1e-15);
        assertEquals(0.0449, weights[11], 5e-5);
        assertEquals(0.002, weights[60], 0);
    }

    @Test
    void balancedWeightsMatchAdaB2nAndTheClosedForm() {
        DomainState state = domain("balanced", Map.of("segment-length", "100000"));
        FrameMoments f = new FrameMoments(source);
        double eta = 0.1;
        double kappa = 0.1;
        double c = Math.pow(1 - eta, kappa);
        double a0 = (Math.pow(eta, -kappa) - 1) / c;
        double[] anchors = {0.7943, 0.4453, 0.3103};
        int frames = 40;
        double[] m = new double[frames + 1];
        double aT = a0;
        for (int t = 1; t <= frames; t++) {
            StatsFixtures.randomFrame(random, f, 2);
            m[t] = f.mean(1)[2];
            adapter.onFrame(state, f);
            aT = 1 + c * aT;
            assertEquals(1 / aT, adapter.lastWeight(), 1e-12);
            if (t <= 3) {
                assertEquals(anchors[t - 1], adapter.lastWeight(), 5e-5);
            }
        }
        // μ_T = (c^T·a0·μ_s + Σ c^(T−i)·m_i) / a_T: frame i has weight c^(T−i)/a_T
        double num = Math.pow(c, frames) * a0 * source.mean(1, 2);
        for (int i = 1; i <= frames; i++) {
            num += Math.pow(c, frames - i) * m[i];
        }
        assertEquals(num / aT, state.mean(1, 2), 1e-12);
        assertEquals(aT, state.effectiveCount(), 1e-9);
    }

    @Test
    void sourcePriorMatchesPseudoCountFormula() {
        DomainState state = domain("source-prior", Map.of("prior", "16"));
        FrameMoments f = new FrameMoments(source);
        double sum = 0;
        int frames = 30;
        for (int t = 1; t <= frames; t++) {
            StatsFixtures.randomFrame(random, f, -1);
            sum += f.mean(0)[1];
            adapter.onFrame(state, f);
            assertEquals(1.0 / (16 + t), adapter.lastWeight(), 1e-15);
            assertEquals((16 * source.mean(0, 1) + sum) / (16 + t), state.mean(0, 1), 1e-12);
        }
        assertEquals(16.0 / (16 + frames), state.sourceWeight(), 1e-12);
    }

    @Test
    void sourcePriorEmaVarMixesVariancesWithoutCrossTerm() {
        DomainState state = domain("source-prior", Map.of("prior", "4", "variance", "ema-var"));
        FrameMoments f = new FrameMoments(source);
        double sumV = 0;
        for (int t = 1; t <= 12; t++) {
            StatsFixtures.randomFrame(random, f, 3);
            sumV += f.var(1)[4];
            adapter.onFrame(state, f);
            assertEquals((4 * source.var(1, 4) + sumV) / (4 + t), state.var(1, 4), 1e-12);
        }
    }

    @Test
    void priorDecayStartsAtThePriorAndReachesItsFloor() {
        DomainState state = domain("prior-decay", Map.of());
        FrameMoments f = new FrameMoments(source);
        for (int t = 1; t <= 250; t++) {
            StatsFixtures.randomFrame(random, f, 0);
            adapter.onFrame(state, f);
            assertEquals(Math.max(1.0 / (16 + t), 0.005), adapter.lastWeight(), 1e-15);
        }
        assertEquals(0.005, adapter.lastWeight(), 0);
        assertEquals(1.0 / 17, new PolicyWeights(Policies.defaultPolicy()).first(), 1e-15);
    }

    @Test
    void momentExactFoldEqualsEmaOfRawMoments() {
        DomainState state = domain("ema", Map.of("momentum", "0.05"));
        FrameMoments f = new FrameMoments(source);
        double w = 0.05;
        double e1 = source.mean(1, 3);
        double e2 = source.var(1, 3) + e1 * e1;
        for (int t = 0; t < 200; t++) {
            StatsFixtures.randomFrame(random, f, 5 * random.nextGaussian());
            double m = f.mean(1)[3];
            double v = f.var(1)[3];
            e1 = (1 - w) * e1 + w * m;
            e2 = (1 - w) * e2 + w * (v + m * m);
            adapter.onFrame(state, f);
        }
        assertEquals(e1, state.mean(1, 3), 1e-10);
        assertEquals(e2 - e1 * e1, state.var(1, 3), 1e-9 * e2);
    }

    @Test
    void emaVarModeIsAnEmaOfVariances() {
        DomainState state = domain("ema", Map.of("momentum", "0.1", "variance", "ema-var"));
        FrameMoments f = new FrameMoments(source);
        double var = source.var(0, 2);
        for (int t = 0; t < 50; t++) {
            StatsFixtures.randomFrame(random, f, 3 * random.nextGaussian());
            var = 0.9 * var + 0.1 * f.var(0)[2];
            adapter.onFrame(state, f);
        }
        assertEquals(var, state.var(0, 2), 1e-12);
    }

    @Test
    void sourcePolicyNeverMovesTheStatistics() {
        DomainState state = domain("source", Map.of());
        FrameMoments f = new FrameMoments(source);
        float[] blend = new float[source.layers()];
        for (int t = 0; t < 20; t++) {
            StatsFixtures.randomFrame(random, f, 4);
            adapter.onFrame(state, f);
            adapter.blendWeights(state, blend);
            assertArrayEquals(new float[source.layers()], blend);
        }
        for (int l = 0; l < source.layers(); l++) {
            for (int c = 0; c < source.channels(l); c++) {
                assertEquals(source.mean(l, c), state.fedMean(l)[c]);
                assertEquals(source.var(l, c), state.fedVar(l)[c]);
            }
        }
        assertEquals(1.0, state.sourceWeight());
    }

    @Test
    void blendWeightIsCappedAndZeroWhenFrozen() {
        DomainState state = domain("adabn", Map.of());
        float[] blend = new float[source.layers()];
        adapter.blendWeights(state, blend);
        assertArrayEquals(new float[]{0.5f, 0.5f}, blend); // w_1 = 1, capped at b_max
        DomainState prior = domain("prior-decay", Map.of("b-max", "0.5"));
        adapter.blendWeights(prior, blend);
        assertArrayEquals(new float[]{1f / 17, 1f / 17}, blend);
        DomainState deep = domain("prior-decay", Map.of("layer-decay", "0.3"));
        adapter.blendWeights(deep, blend);
        assertEquals(1.0 / 17 * Math.exp(-0.3), blend[1], 1e-7);
        adapter.freeze(state);
        adapter.blendWeights(state, blend);
        assertArrayEquals(new float[2], blend);
    }

    @Test
    void varianceNeverNegative() {
        for (String policy : Policies.NAMES) {
            DomainState state = domain(policy, Map.of());
            FrameMoments f = new FrameMoments(source);
            for (int t = 0; t < 300; t++) {
                for (int l = 0; l < f.layers(); l++) {
                    for (int c = 0; c < f.channels(l); c++) {
                        f.mean(l)[c] = (float) (1e3 * random.nextGaussian());
                        // zero and rounding-level negative variances are valid input
                        f.var(l)[c] = random.nextBoolean() ? 0f : (float) (-1e-7 * random.nextDouble());
                    }
                }
                assertEquals(FrameOutcome.FOLDED, adapter.onFrame(state, f), policy);
                for (int l = 0; l < f.layers(); l++) {
                    for (int c = 0; c < f.channels(l); c++) {
                        assertTrue(state.var(l, c) >= 0, policy);
                        assertTrue(state.fedVar(l)[c] >= 0, policy);
                    }
                }
            }
        }
    }

    @Test
    void invalidFramesLeaveTheStateUntouched() {
        DomainState state = domain("prior-decay", Map.of());
        FrameMoments f = new FrameMoments(source);
        for (int t = 0; t < 5; t++) {
            StatsFixtures.randomFrame(random, f, 1);
            adapter.onFrame(state, f);
        }
        long version = state.version();
        long frames = state.frameCount();
        double a = state.effectiveCount();
        double mean = state.mean(1, 1);
        double var = state.var(1, 1);
        float[][] bad = {{Float.NaN}, {Float.POSITIVE_INFINITY}, {Float.NEGATIVE_INFINITY}};
        for (float[] value : bad) {
            for (boolean inVar : new boolean[]{false, true}) {
                StatsFixtures.randomFrame(random, f, 1);
                (inVar ? f.var(1) : f.mean(1))[4] = value[0];
                assertEquals(FrameOutcome.REJECTED_NON_FINITE, adapter.onFrame(state, f));
            }
        }
        StatsFixtures.randomFrame(random, f, 1);
        f.var(0)[0] = -0.5f;
        assertEquals(FrameOutcome.REJECTED_NON_FINITE, adapter.onFrame(state, f));
        assertEquals(version, state.version());
        assertEquals(frames, state.frameCount());
        assertEquals(a, state.effectiveCount());
        assertEquals(mean, state.mean(1, 1));
        assertEquals(var, state.var(1, 1));
        assertTrue(Double.isNaN(adapter.lastScore()));
    }

    @Test
    void everyChangeIncrementsTheVersion() {
        DomainState state = domain("prior-decay", Map.of());
        FrameMoments f = new FrameMoments(source);
        assertEquals(0, state.version());
        StatsFixtures.randomFrame(random, f, 1);
        adapter.onFrame(state, f);
        assertEquals(1, state.version());
        adapter.freeze(state);
        assertEquals(2, state.version());
        assertEquals(FrameOutcome.FROZEN, adapter.onFrame(state, f));
        assertEquals(2, state.version());
        assertEquals(1, state.frameCount());
        adapter.unfreeze(state);
        adapter.setPolicy(state, Policies.create("ema"));
        assertEquals(4, state.version());
        adapter.reset(state);
        assertEquals(5, state.version());
        assertEquals(0, state.frameCount());
        assertEquals(source.mean(0, 0), state.fedMean(0)[0]);
    }

    @Test
    void setPolicyKeepsTheSourceShare() {
        DomainState state = domain("source-prior", Map.of("prior", "10"));
        FrameMoments f = new FrameMoments(source);
        for (int t = 0; t < 30; t++) {
            StatsFixtures.randomFrame(random, f, 1);
            adapter.onFrame(state, f);
        }
        assertEquals(10.0 / 40, state.sourceWeight(), 1e-12);
        adapter.setPolicy(state, Policies.create("prior-decay", Map.of("prior", "20")));
        // a = a0/ω_src = 20/(10/40) = 80, so the next frame gets 1/81
        assertEquals(1.0 / 81, state.nextWeight(), 1e-12);
    }

    /** The first weight of a fresh schedule of a policy. */
    private record PolicyWeights(AdaptationPolicy policy) {
        double first() {
            io.adastream.adapt.stats.policy.Schedule s = new io.adastream.adapt.stats.policy.Schedule();
            policy.start(s);
            return policy.peekWeight(s);
        }
    }
}
