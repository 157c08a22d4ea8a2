package io.adastream.adapt.twotier;

import io.adastream.adapt.stats.DomainAdapter;
import io.adastream.adapt.stats.DomainState;
import io.adastream.adapt.stats.FrameMoments;
import io.adastream.adapt.stats.FrameOutcome;
import io.adastream.adapt.stats.SourceStatistics;
import io.adastream.adapt.stats.StatsFixtures;
import io.adastream.adapt.stats.policy.Policies;
import io.adastream.adapt.stats.shift.DetectorSettings;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The two-tier rule's decisions on scripted streams of domain states, against answers worked out by hand. */
class TierRuleTest {

    private final Random random = new Random(11);
    private final SourceStatistics source = StatsFixtures.source(random, 16, 32, 8);
    /** The detector confirming a shift on 3 alarm frames of 5 (the scripted stream's timings assume it; the service's
     *  default waits for 14 of 16, tuned on real video). */
    private static final DetectorSettings THREE_OF_FIVE = new DetectorSettings(true, 30, 0.02, 3.0, 3, 5, 20.0);
    private final DomainAdapter adapter = new DomainAdapter(source, THREE_OF_FIVE);
    private final FrameMoments frame = new FrameMoments(source);

    /** One frame through the rule and, when routed adaptive, the adapter: returns the path taken. */
    private InferencePath step(TierRule rule, DomainState state, TierState tier, double offset, double scale) {
        InferencePath path = rule.next(state, tier);
        StatsFixtures.domainFrame(random, source, frame, offset, scale);
        if (path == InferencePath.ADAPTIVE) {
            FrameOutcome outcome = adapter.onFrame(state, frame);
            rule.afterAdaptive(state, tier, outcome);
        }
        return path;
    }

    @Test
    void warmUpThenKDoublesToItsMaximumThenAShiftOnABakedFrameIsSeenAtTheNextAdaptiveOne() {
        // stable weight 1: stability is the detector's alone; re-bake distance 0.5: the stationary frames (jitter of
        // 0.3 standard deviations folded with weights under 0.03) never reach it, the 3.5-deviation shift does
        TierRule rule = new TierRule(new TierSettings(8, 1.0, 0.5), THREE_OF_FIVE);
        DomainState state = adapter.newDomain(Policies.create("prior-decay"));
        TierState tier = new TierState();
        List<Integer> adaptive = new ArrayList<>();
        for (int t = 1; t <= 44; t++) {
            if (step(rule, state, tier, 0.5, 1.0) == InferencePath.ADAPTIVE) {
                adaptive.add(t);
            }
            if (t == 29) {
                assertEquals(1, tier.k(), "warm-up: K stays 1");
                assertEquals(0, tier.bakes(), "no bake before the detector's 30 warm-up frames");
            }
            if (t == 30) {
                assertEquals(2, tier.k());
                assertEquals(1, tier.bakes(), "baked at the frame that ends the warm-up");
            }
        }
        List<Integer> expected = new ArrayList<>();
        for (int t = 1; t <= 30; t++) {
            expected.add(t);
        }
        expected.addAll(List.of(32, 36, 44)); // K = 2, 4, 8: 1, 3 and 7 baked frames between them
        assertEquals(expected, adaptive);
        assertEquals(8, tier.k());
        assertEquals(0, tier.sinceAdaptive());

        // the shift starts on frame 45, a baked one; 45..51 are baked (K = 8), 52 is the first to see it
        List<InferencePath> paths = new ArrayList<>();
        long shiftsBefore = state.detector().shifts();
        int confirmedAt = -1;
        for (int t = 45; t <= 60; t++) {
            paths.add(step(rule, state, tier, 3.5, 2.0));
            if (confirmedAt < 0 && state.detector().shifts() > shiftsBefore) {
                confirmedAt = t;
            }
        }
        for (int i = 0; i < 7; i++) {
            assertEquals(InferencePath.BAKED, paths.get(i), "frame " + (45 + i));
        }
        for (int i = 7; i < paths.size(); i++) {
            assertEquals(InferencePath.ADAPTIVE, paths.get(i), "frame " + (45 + i) + ": alarm, then warm-up");
        }
        assertEquals(54, confirmedAt, "alarm at 52, confirmed on the third alarm frame");
        assertEquals(1, tier.k());
        assertEquals(1, tier.bakes(), "no bake during the new segment's warm-up");
        // the new segment's warm-up: 30 more adaptive frames after the confirmation (55..84), the bake at 84
        for (int t = 61; t <= 84; t++) {
            assertEquals(InferencePath.ADAPTIVE, step(rule, state, tier, 3.5, 2.0), "frame " + t);
        }
        assertEquals(2, tier.bakes(), "re-baked at the end of the new segment's warm-up");
        assertTrue(TierRule.distance(state, tier.baked()) == 0);
        assertEquals(InferencePath.BAKED, step(rule, state, tier, 3.5, 2.0), "frame 85");
    }

    @Test
    void aDomainIsNotStableWhileItsFoldWeightIsAboveTheStableWeight() {
        // prior-decay, N_prior = 16, c = 1: after t folds a = 16 + t and the next weight is 1/(17 + t) <= 0.02 from t = 33
        TierRule rule = new TierRule(new TierSettings(8, 0.02, 1e9), THREE_OF_FIVE);
        DomainState state = adapter.newDomain(Policies.create("prior-decay"));
        TierState tier = new TierState();
        int firstBake = -1;
        for (int t = 1; t <= 60 && firstBake < 0; t++) {
            step(rule, state, tier, 0.5, 1.0);
            if (tier.bakes() == 1) {
                firstBake = t;
            }
        }
        assertTrue(state.nextWeight() <= 0.02);
        // the weight of the fold after frame t is 1/(16 + t + 1): <= 0.02 once t >= 33
        assertEquals(33, firstBake);
    }

    @Test
    void aFrozenDomainIsStableAndItsFramesFoldNothing() {
        TierRule rule = new TierRule(new TierSettings(4, 0.0, 1e9), DetectorSettings.disabled());
        DomainState state = adapter.newDomain(Policies.create("prior-decay"));
        adapter.freeze(state);
        TierState tier = new TierState();
        List<InferencePath> paths = new ArrayList<>();
        for (int t = 0; t < 12; t++) {
            paths.add(step(rule, state, tier, 0.5, 1.0));
        }
        // A (bake, K=2) B A (K=4) B B B A (K=4) B B B A
        assertEquals(List.of(InferencePath.ADAPTIVE, InferencePath.BAKED, InferencePath.ADAPTIVE, InferencePath.BAKED,
                InferencePath.BAKED, InferencePath.BAKED, InferencePath.ADAPTIVE, InferencePath.BAKED,
                InferencePath.BAKED, InferencePath.BAKED, InferencePath.ADAPTIVE, InferencePath.BAKED), paths);
        assertEquals(0, state.frameCount());
        assertEquals(1, tier.bakes());
    }

    @Test
    void distanceIsTheRootMeanSquareOfStandardizedMeanShiftAndHalfTheLogVarianceRatio() {
        DomainState state = adapter.newDomain(Policies.create("source"));
        int layers = source.layers();
        float[][] mean = new float[layers][];
        float[][] var = new float[layers][];
        for (int l = 0; l < layers; l++) {
            int c = source.channels(l);
            mean[l] = new float[c];
            var[l] = new float[c];
            for (int i = 0; i < c; i++) {
                double eps = source.epsilon(l);
                // layer 0: means 0.1 standard deviations (of the baked statistics) off; layer 1: variances e^0.4
                // times the domain's; layer 2: equal
                var[l][i] = l == 1 ? (float) ((source.var(l, i) + eps) * Math.exp(0.4) - eps) : source.var(l, i);
                double sd = Math.sqrt(var[l][i] + eps);
                mean[l][i] = l == 0 ? (float) (source.mean(l, i) - 0.1 * sd) : source.mean(l, i);
            }
        }
        BakedStatistics baked = BakedStatistics.of(mean, var);
        // layer 0: sqrt(0.1²) = 0.1; layer 1: sqrt(¼·0.4²) = 0.2; the largest: 0.2
        assertEquals(0.2, TierRule.distance(state, baked), 1e-5);
        var[1] = new float[source.channels(1)];
        for (int i = 0; i < var[1].length; i++) {
            var[1][i] = source.var(1, i);
        }
        assertEquals(0.1, TierRule.distance(state, BakedStatistics.of(mean, var)), 1e-5);
        assertEquals(0.0, TierRule.distance(state, BakedStatistics.of(state)), 0.0);
    }

    @Test
    void reBakesExactlyWhenTheFedStatisticsMovedMoreThanTheDistanceAndBakesTheFedStatisticsOfThatFrame() {
        double threshold = 0.05;
        TierRule rule = new TierRule(new TierSettings(4, 1.0, threshold), THREE_OF_FIVE);
        DomainState state = adapter.newDomain(Policies.create("ema", java.util.Map.of("momentum", "0.0125")));
        TierState tier = new TierState();
        int rebakes = 0;
        int kept = 0;
        for (int t = 1; t <= 400; t++) {
            double offset = 0.5 + 0.004 * t; // a slow drift: 1.6 standard deviations over the stream
            InferencePath path = rule.next(state, tier);
            StatsFixtures.domainFrame(random, source, frame, offset, 1.0);
            if (path != InferencePath.ADAPTIVE) {
                continue;
            }
            FrameOutcome outcome = adapter.onFrame(state, frame);
            BakedStatistics before = tier.baked();
            boolean stable = rule.stable(state) && outcome == FrameOutcome.FOLDED;
            double d = before == null ? Double.NaN : independentDistance(state, before);
            boolean rebaked = rule.afterAdaptive(state, tier, outcome);
            if (!stable || before == null) {
                continue;
            }
            assertEquals(d > threshold, rebaked, "frame " + t + ": distance " + d);
            if (rebaked) {
                rebakes++;
                assertNotSame(before, tier.baked());
                assertEquals(BakedStatistics.of(state), tier.baked(), "bakes the fed statistics of this frame");
            } else {
                kept++;
                assertSame(before, tier.baked());
            }
        }
        assertTrue(rebakes >= 3 && kept >= 3, rebakes + " re-bakes, " + kept + " kept");
        assertEquals(rebakes + 1, tier.bakes());
    }

    @Test
    void routeIsAFunctionOfTheStateAlone() {
        TierRule rule = new TierRule(new TierSettings(8, 1.0, 1e9), THREE_OF_FIVE);
        DomainState state = adapter.newDomain(Policies.create("prior-decay"));
        TierState tier = new TierState();
        for (int t = 0; t < 40; t++) {
            step(rule, state, tier, 0.5, 1.0);
        }
        InferencePath first = rule.route(state, tier);
        for (int i = 0; i < 5; i++) {
            assertEquals(first, rule.route(state, tier), "route does not change the state");
        }
        assertFalse(tier.baked() == null);
    }

    /** One frame of the given domain (offset, scale) through the rule and, when routed adaptive, the adapter. */
    private InferencePath step(TierRule rule, DomainAdapter a, DomainState state, TierState tier, Random r,
                               FrameMoments f, double offset, double scale) {
        InferencePath path = rule.next(state, tier);
        StatsFixtures.domainFrame(r, source, f, offset, scale);
        if (path == InferencePath.ADAPTIVE) {
            rule.afterAdaptive(state, tier, a.onFrame(state, f));
        }
        return path;
    }

    @Test
    void anAdaptiveFrameAfterBakedOnesFoldsAsTheFramesItStandsFor() {
        // prior-decay (N_prior 16, c = 1, floor 0.005): the fold of stream frame t has weight 1/(16 + t). Stable weight
        // 1 and K max 8: frames 1..30 adaptive (warm-up), then 32, 36, 44 (K = 2, 4, 8) and every 8th: 52, ..., 92
        TierRule rule = new TierRule(new TierSettings(8, 1.0, 1e9), THREE_OF_FIVE);
        DomainState state = adapter.newDomain(Policies.create("prior-decay"));
        TierState tier = new TierState();
        double[] before = new double[source.channels(0)];
        for (int t = 1; t <= 92; t++) {
            state.copyMean(0, before);
            InferencePath path = step(rule, adapter, state, tier, random, frame, 0.5, 1.0);
            if (t == 92) {
                assertEquals(InferencePath.ADAPTIVE, path);
                // frame 92 stands for frames 85..92: W = 1 − Π_{t=85..92} (1 − 1/(16 + t)) = 1 − 100/108 = 2/27
                double w = 2.0 / 27.0;
                for (int c = 0; c < before.length; c++) {
                    assertEquals(before[c] + w * (frame.mean(0)[c] - before[c]), state.mean(0, c), 1e-12,
                            "channel " + c);
                }
            }
        }
        assertEquals(8, tier.k());
        // the schedule has moved 92 frames on, as if every frame had been folded: the next weight is 1/(16 + 93)
        assertEquals(1.0 / 109, state.nextWeight(), 1e-15);
    }

    @Test
    void aShiftAfterALongBakedStretchIsConfirmedWithinKMaxOfTheAdaptiveRunAndResetsK() {
        // a domain at offset 0.5, a first shift to 2.5 at frame 200 (confirmed; the new segment's scores start high
        // and fall as its estimate converges), then from frame 600, long after it was baked with K at 32, a second
        // shift to offset 1.5 and 1.5 times the variance. The same frames are replayed with every frame adaptive.
        DetectorSettings detector = DetectorSettings.defaults(); // 14 alarm frames of 16
        int kMax = TierSettings.DEFAULT_K_MAX;
        TierRule rule = new TierRule(TierSettings.defaults(), detector);
        Replay reference = replayTwoShifts(null, detector);
        Replay twoTier = replayTwoShifts(rule, detector);
        assertEquals(kMax, twoTier.kBeforeShift(), "baked with K at its maximum before the second shift");
        // the baseline keeps the stream's pace: within 1.5 times the adaptive run's (it stayed at 3.3 times, 0.36
        // against 0.11, when a baked stretch froze it at the level of the first segment's start)
        double ratio = twoTier.baselineBeforeShift() / reference.baselineBeforeShift();
        assertTrue(ratio > 1 / 1.5 && ratio < 1.5, "baseline " + twoTier.baselineBeforeShift() + " against "
                + reference.baselineBeforeShift());
        assertEquals(14, reference.delay(), "the adaptive run confirms on the 14th alarm frame");
        assertTrue(twoTier.alarmOnFirstAdaptive(), "the first adaptive frame after the shift opens the alarm");
        assertEquals(1, twoTier.kAfterFirstAdaptive(), "K back to 1 with the alarm open");
        assertTrue(twoTier.delay() > 0 && twoTier.delay() <= reference.delay() + kMax - 1, "two-tier confirmed "
                + twoTier.delay() + " frames after the shift, the adaptive run " + reference.delay());
    }

    /** What {@link #replayTwoShifts} saw of the second shift. */
    private record Replay(int kBeforeShift, double baselineBeforeShift, boolean alarmOnFirstAdaptive,
                          int kAfterFirstAdaptive, int delay) {
    }

    /**
     * Replays the two-shift stream of the test above through the rule (null: every frame adaptive); the delay is the
     * frames from the second shift's first frame to its confirmation, −1 if not within 200 frames.
     */
    private Replay replayTwoShifts(TierRule rule, DetectorSettings settings) {
        DomainAdapter a = new DomainAdapter(source, settings);
        Random r = new Random(5);
        FrameMoments f = new FrameMoments(source);
        DomainState state = a.newDomain(Policies.create("prior-decay"));
        TierState tier = new TierState();
        TierRule used = rule != null ? rule : new TierRule(new TierSettings(1, 0.0, 1e9), settings);
        for (int t = 1; t < 600; t++) {
            step(used, a, state, tier, r, f, t < 200 ? 0.5 : 2.5, 1.0);
        }
        assertEquals(1, state.detector().shifts(), "the first shift confirmed");
        int kBefore = tier.k();
        double baseline = state.detector().baseline();
        boolean alarm = false;
        int kAfter = -1;
        for (int t = 600; t < 800; t++) {
            InferencePath p = step(used, a, state, tier, r, f, 1.5, 1.5);
            if (p == InferencePath.ADAPTIVE && kAfter < 0) {
                alarm = state.detector().alarmOpen();
                kAfter = tier.k();
            }
            if (state.detector().shifts() > 1) {
                return new Replay(kBefore, baseline, alarm, kAfter, t - 600 + 1);
            }
        }
        return new Replay(kBefore, baseline, alarm, kAfter, -1);
    }

    /** The distance of the class comment, written out again: per layer RMS over channels, the largest layer. */
    private static double independentDistance(DomainState state, BakedStatistics baked) {
        double worst = 0;
        for (int l = 0; l < state.layers(); l++) {
            float[] bm = baked.mean(l);
            float[] bv = baked.var(l);
            double eps = state.source().epsilon(l);
            double sum = 0;
            for (int c = 0; c < bm.length; c++) {
                double z = (state.fedMean(l)[c] - bm[c]) / Math.sqrt(bv[c] + eps);
                double half = 0.5 * Math.log((state.fedVar(l)[c] + eps) / (bv[c] + eps));
                sum += z * z + half * half;
            }
            worst = Math.max(worst, Math.sqrt(sum / bm.length));
        }
        return worst;
    }
}
