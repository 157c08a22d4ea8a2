package io.adastream.adapt.stats;

import io.adastream.adapt.stats.policy.Policies;
import io.adastream.adapt.stats.shift.DetectorSettings;
import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The detector on synthetic moment streams with known change points. */
class ShiftDetectionTest {

    private final Random random = new Random(3);
    private final SourceStatistics source = StatsFixtures.source(random, 16, 32, 8);
    /** A short 3-of-5 window, so that the mechanics (hold, confirm, restart) show within a few frames. */
    private final DomainAdapter adapter = new DomainAdapter(source, new DetectorSettings(true, 30, 0.02, 3.0, 3, 5, 20.0));
    private final FrameMoments f = new FrameMoments(source);

    private Map<FrameOutcome, Integer> run(DomainState state, int frames, double offset, double scale) {
        Map<FrameOutcome, Integer> counts = new EnumMap<>(FrameOutcome.class);
        for (int t = 0; t < frames; t++) {
            StatsFixtures.domainFrame(random, source, f, offset, scale);
            counts.merge(adapter.onFrame(state, f), 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void stepChangeIsConfirmedWithinThreeFramesAndHeldFramesSeedTheNewSegment() {
        DomainState state = adapter.newDomain(Policies.create("prior-decay"));
        Map<FrameOutcome, Integer> before = run(state, 500, 0.5, 1.0);
        assertEquals(500, before.get(FrameOutcome.FOLDED), before.toString());
        double preMean = state.mean(0, 3);
        double[] held = new double[3];
        FrameOutcome outcome = null;
        int delay = -1;
        for (int t = 0; t < 10 && delay < 0; t++) {
            StatsFixtures.domainFrame(random, source, f, 3.5, 2.0);
            if (t < 3) {
                held[t] = f.mean(0)[3];
            }
            outcome = adapter.onFrame(state, f);
            if (outcome == FrameOutcome.HELD) {
                assertEquals(preMean, state.mean(0, 3)); // held frames do not reach the estimate
            }
            if (outcome == FrameOutcome.SHIFT_CONFIRMED) {
                delay = t;
            }
        }
        assertEquals(FrameOutcome.SHIFT_CONFIRMED, outcome);
        assertEquals(2, delay, "confirmed on the M-th alarm frame");
        assertEquals(1, state.detector().shifts());
        assertEquals(0, state.heldFrames());
        // the new segment: prior P, a ← N_restart = 16, then the 3 held frames as one block: W = 3/19
        double p = adapter.lastPrior() == PriorChoice.SOURCE ? source.mean(0, 3) : preMean;
        double pooled = (held[0] + held[1] + held[2]) / 3;
        assertEquals(p + 3.0 / 19 * (pooled - p), state.mean(0, 3), 1e-9);
        assertEquals(19.0, state.effectiveCount(), 0);
        assertEquals(3, state.segmentStep());
        assertEquals(0, state.detector().frames(), "detector back in warm-up");
    }

    @Test
    void stationaryStreamOf10000FramesNeverFires() {
        DomainState state = adapter.newDomain(Policies.defaultPolicy());
        Map<FrameOutcome, Integer> counts = run(state, 10_000, 1.0, 1.5);
        assertEquals(0, state.detector().shifts(), counts.toString());
        assertTrue(counts.getOrDefault(FrameOutcome.SHIFT_CONFIRMED, 0) == 0, counts.toString());
        assertEquals(10_000, state.frameCount());
    }

    @Test
    void singleSpikesDoNotFireAndNeverReachTheEstimate() {
        DomainState state = adapter.newDomain(Policies.defaultPolicy());
        run(state, 300, 0.5, 1.0);
        int spikes = 0;
        for (int round = 0; round < 20; round++) {
            StatsFixtures.domainFrame(random, source, f, 40, 30.0);
            FrameOutcome o = adapter.onFrame(state, f);
            assertEquals(FrameOutcome.SPIKE_SKIPPED, o);
            spikes++;
            Map<FrameOutcome, Integer> after = run(state, 100, 0.5, 1.0);
            assertEquals(1, after.get(FrameOutcome.DISMISSED), after.toString());
        }
        assertEquals(0, state.detector().shifts());
        assertEquals(spikes, state.detector().spikesSkipped());
        assertEquals(300 + 20 * 100, state.frameCount(), "all but the spikes were folded");
    }

    @Test
    void slowRampDoesNotFire() {
        DomainState state = adapter.newDomain(Policies.defaultPolicy());
        run(state, 300, 0.0, 1.0);
        for (int t = 0; t < 4000; t++) {
            StatsFixtures.domainFrame(random, source, f, 0.001 * t, 1.0 + 0.0005 * t);
            adapter.onFrame(state, f);
        }
        assertEquals(0, state.detector().shifts());
        // and the estimate followed the drift: mean near μ_s + 4σ_s
        double sd = Math.sqrt(source.var(1, 5));
        assertEquals(source.mean(1, 5) + 4.0 * sd, state.mean(1, 5), 0.5 * sd);
    }

    @Test
    void shiftsRestartEachPolicyItsOwnWay() {
        DomainState dua = adapter.newDomain(Policies.create("momentum-decay"));
        run(dua, 400, 0.5, 1.0);
        run(dua, 3, 3.5, 2.0);
        assertEquals(1, dua.detector().shifts());
        assertEquals(3, dua.segmentStep(), "k restarted, then the 3 held frames");
        assertEquals(0.1 * Math.pow(0.94, 4) + 0.005, dua.nextWeight(), 1e-15);

        DomainState balanced = adapter.newDomain(Policies.create("balanced"));
        run(balanced, 400, 0.5, 1.0);
        assertEquals(0, balanced.segments().size());
        run(balanced, 3, 3.5, 2.0);
        assertEquals(1, balanced.detector().shifts());
        assertEquals(1, balanced.segments().size(), "the pre-shift segment was closed");
        assertEquals(400, balanced.segments().segment(0).count());
        assertEquals(3, balanced.segments().live().count());
    }

    @Test
    void returningToAnEarlierConditionRecallsItsSegment() {
        DomainState state = adapter.newDomain(Policies.create("balanced", Map.of("concentration", "inf")));
        run(state, 400, -2.0, 0.5);   // condition A
        run(state, 400, 3.0, 3.0);    // condition B (confirmed shift)
        run(state, 3, -2.0, 0.5);     // back to A (confirmed shift)
        assertEquals(2, state.detector().shifts());
        assertEquals(PriorChoice.SEGMENT, adapter.lastPrior());
    }
}
