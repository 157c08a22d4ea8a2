package io.adastream.adapt.twotier;

import io.adastream.adapt.stats.DomainAdapter;
import io.adastream.adapt.stats.DomainState;
import io.adastream.adapt.stats.FrameMoments;
import io.adastream.adapt.stats.FrameOutcome;
import io.adastream.adapt.stats.SnapshotCodec;
import io.adastream.adapt.stats.SourceStatistics;
import io.adastream.adapt.stats.StatisticsPrecision;
import io.adastream.adapt.stats.StatsFixtures;
import io.adastream.adapt.stats.policy.Policies;
import io.adastream.adapt.stats.shift.DetectorSettings;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The two-tier state's bytes, and a replay from them routing and baking as the uninterrupted run did. */
class TierStateCodecTest {

    private final SourceStatistics source = StatsFixtures.source(new Random(5), 16, 32, 8);

    @Test
    void roundTripsAndRefusesWhatDoesNotFit() {
        TierState tier = new TierState();
        byte[] empty = TierStateCodec.writeCounters(tier);
        assertEquals(29, empty.length);
        TierState back = TierStateCodec.read(empty, null, source);
        assertEquals(tier, back);
        assertNull(back.baked());

        DomainAdapter adapter = new DomainAdapter(source);
        DomainState state = adapter.newDomain(Policies.create("prior-decay"));
        tier.restore(8, 3, 2, BakedStatistics.of(state));
        byte[] counters = TierStateCodec.writeCounters(tier);
        byte[] bake = TierStateCodec.writeBake(tier.baked());
        assertEquals(4 + 1 + 4 + 3 * 4 + (16 + 32 + 8) * 8, bake.length);
        assertEquals(tier, TierStateCodec.read(counters, bake, source));

        assertThrows(IllegalArgumentException.class, () -> TierStateCodec.read(counters, null, source), "bake missing");
        assertThrows(IllegalArgumentException.class,
                () -> TierStateCodec.read(counters, java.util.Arrays.copyOf(bake, bake.length - 1), source));
        assertThrows(IllegalArgumentException.class,
                () -> TierStateCodec.read(java.util.Arrays.copyOf(counters, 20), bake, source), "truncated");
        SourceStatistics other = StatsFixtures.source(new Random(5), 16, 32, 9);
        assertThrows(IllegalArgumentException.class, () -> TierStateCodec.read(counters, bake, other));
        TierState rebaked = new TierState();
        rebaked.restore(8, 3, 3, BakedStatistics.of(new float[][]{new float[16], new float[32], new float[8]},
                new float[][]{new float[16], new float[32], new float[8]}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TierStateCodec.read(counters, TierStateCodec.writeBake(rebaked.baked()), source));
        assertTrue(e.getMessage().contains("do not match"), e.getMessage());
        byte[] wrongMagic = counters.clone();
        wrongMagic[0] = 'X';
        assertThrows(IllegalArgumentException.class, () -> TierStateCodec.read(wrongMagic, bake, source));
    }

    @Test
    void aReplayFromStatesStoredAtFloat64RoutesAndBakesEveryFrameBitForBitAsTheUninterruptedRun() throws Exception {
        TierRule rule = new TierRule(new TierSettings(8, 0.05, 0.02), DetectorSettings.defaults());
        List<String> uninterrupted = run(rule, 300, -1, StatisticsPrecision.FLOAT64, true);
        for (int crashAt : new int[]{31, 37, 120, 211}) {
            assertEquals(uninterrupted, run(rule, 300, crashAt, StatisticsPrecision.FLOAT64, true),
                    "restart after frame " + crashAt);
        }
        assertTrue(uninterrupted.stream().filter(s -> s.startsWith("BAKED")).count() > 150, "mostly baked");
        assertTrue(uninterrupted.stream().filter(s -> s.startsWith("ADAPTIVE")).map(s -> s.split(" ")[2])
                .distinct().count() > 5, "re-baked several times on the drift");
    }

    /**
     * At float32 (the default state precision) the restored estimate loses its double accumulators' low bits, as for
     * the adaptive path alone: every frame takes the same path with the same number of bakes; the statistics differ
     * in their last float bits only.
     */
    @Test
    void aReplayFromStatesStoredAtFloat32RoutesEveryFrameAsTheUninterruptedRun() throws Exception {
        TierRule rule = new TierRule(new TierSettings(8, 0.05, 0.02), DetectorSettings.defaults());
        List<String> uninterrupted = run(rule, 300, -1, StatisticsPrecision.FLOAT32, false);
        for (int crashAt : new int[]{31, 37, 120, 211}) {
            assertEquals(uninterrupted, run(rule, 300, crashAt, StatisticsPrecision.FLOAT32, false),
                    "restart after frame " + crashAt);
        }
    }

    /**
     * Frames of a slowly drifting domain through the rule; after frame {@code crashAt} the states are written as the
     * service stores them (snapshot at {@code precision}, two-tier counters and bake) and read back. Per frame: the
     * path, the bake count and, with {@code bits}, the digest of the statistics the frame predicts with.
     */
    private List<String> run(TierRule rule, int frames, int crashAt, StatisticsPrecision precision, boolean bits)
            throws Exception {
        Random random = new Random(17);
        DomainAdapter adapter = new DomainAdapter(source);
        FrameMoments frame = new FrameMoments(source);
        DomainState state = adapter.newDomain(Policies.create("prior-decay"));
        TierState tier = new TierState();
        List<String> log = new ArrayList<>();
        for (int t = 1; t <= frames; t++) {
            InferencePath path = rule.next(state, tier);
            StatsFixtures.domainFrame(random, source, frame, 0.5 + 0.003 * t, 1.0);
            if (path == InferencePath.ADAPTIVE) {
                FrameOutcome outcome = adapter.onFrame(state, frame);
                rule.afterAdaptive(state, tier, outcome);
                log.add("ADAPTIVE " + outcome + " " + tier.bakes()
                        + (bits ? " " + Long.toHexString(BakedStatistics.of(state).digest()) : ""));
            } else {
                log.add("BAKED " + tier.bakes() + (bits ? " " + Long.toHexString(tier.baked().digest()) : ""));
            }
            if (t == crashAt) {
                byte[] snapshot = SnapshotCodec.write(state, precision);
                byte[] counters = TierStateCodec.writeCounters(tier);
                byte[] bake = tier.baked() == null ? null : TierStateCodec.writeBake(tier.baked());
                state = SnapshotCodec.read(snapshot, source);
                tier = TierStateCodec.read(counters, bake, source);
                adapter = new DomainAdapter(source);
            }
        }
        return log;
    }
}
