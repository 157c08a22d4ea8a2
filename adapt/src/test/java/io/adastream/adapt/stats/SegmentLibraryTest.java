package io.adastream.adapt.stats;

import io.adastream.adapt.stats.policy.Policies;
import io.adastream.adapt.stats.policy.SegmentSettings;
import io.adastream.adapt.stats.shift.DetectorSettings;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The balanced policy's segment library: exact pooled segments, Dirichlet weights, the exact mixture. */
class SegmentLibraryTest {

    private final Random random = new Random(5);
    private final SourceStatistics source = StatsFixtures.source(random, 2, 3);

    private static SegmentSettings settings(double concentration) {
        return new SegmentSettings(concentration, 1000, 4, 16, 0.0);
    }

    /** A library with closed segments of 10 frames around 1 and 1,000 frames around −2, and a live estimate around 5. */
    private SegmentLibrary twoSegments(double[][] liveMean, double[][] liveVar) {
        SegmentLibrary library = new SegmentLibrary(source.channels(), 4);
        FrameMoments f = new FrameMoments(source);
        for (int t = 0; t < 10; t++) {
            StatsFixtures.randomFrame(random, f, 1);
            library.live().add(f);
        }
        library.closeLive(-1, 10);
        for (int t = 0; t < 1000; t++) {
            StatsFixtures.randomFrame(random, f, -2);
            library.live().add(f);
        }
        library.closeLive(-1, 1010);
        for (int l = 0; l < liveMean.length; l++) {
            for (int c = 0; c < liveMean[l].length; c++) {
                liveMean[l][c] = 5 + random.nextGaussian();
                liveVar[l][c] = 0.5 + random.nextDouble();
            }
        }
        library.gates[0] = 1;
        library.gates[1] = 1;
        return library;
    }

    private double[][][] liveArrays() {
        double[][] mean = new double[source.layers()][];
        double[][] var = new double[source.layers()][];
        for (int l = 0; l < source.layers(); l++) {
            mean[l] = new double[source.channels(l)];
            var[l] = new double[source.channels(l)];
        }
        return new double[][][]{mean, var};
    }

    @Test
    void equalConcentrationGivesSegmentsOf10And1000FramesTheSameWeight() {
        double[][][] live = liveArrays();
        SegmentLibrary library = twoSegments(live[0], live[1]);
        float[][] fedMean = {new float[2], new float[3]};
        float[][] fedVar = {new float[2], new float[3]};
        library.mix(live[0], live[1], 95.0, settings(Double.POSITIVE_INFINITY), fedMean, fedVar);
        assertEquals(10, library.segment(0).count());
        assertEquals(1000, library.segment(1).count());
        assertEquals(1.0 / 3, library.weight(0), 1e-15);
        assertEquals(1.0 / 3, library.weight(1), 1e-15);
        assertEquals(1.0 / 3, library.liveWeight(), 1e-15);
        for (int l = 0; l < source.layers(); l++) {
            for (int c = 0; c < source.channels(l); c++) {
                double[] mus = {live[0][l][c], library.segment(0).mean(l)[c], library.segment(1).mean(l)[c]};
                double[] vars = {live[1][l][c], library.segment(0).var(l)[c], library.segment(1).var(l)[c]};
                double mu = (mus[0] + mus[1] + mus[2]) / 3;
                double second = 0;
                for (int k = 0; k < 3; k++) {
                    second += (vars[k] + mus[k] * mus[k]) / 3;
                }
                assertEquals(mu, fedMean[l][c], 1e-6 * (1 + Math.abs(mu)));
                assertEquals(second - mu * mu, fedVar[l][c], 1e-5 * second);
            }
        }
    }

    @Test
    void finiteConcentrationWeighsByPseudoCountPlusFrames() {
        double[][][] live = liveArrays();
        SegmentLibrary library = twoSegments(live[0], live[1]);
        float[][] fedMean = {new float[2], new float[3]};
        float[][] fedVar = {new float[2], new float[3]};
        library.mix(live[0], live[1], 95.0, settings(100), fedMean, fedVar);
        double total = (100 + 95) + (100 + 10) + (100 + 1000);
        assertEquals(195 / total, library.liveWeight(), 1e-15);
        assertEquals(110 / total, library.weight(0), 1e-15);
        assertEquals(1100 / total, library.weight(1), 1e-15);
        library.gates[1] = 0.5;
        library.mix(live[0], live[1], 95.0, settings(0), fedMean, fedVar);
        double t0 = 95 + 10 + 500;
        assertEquals(500 / t0, library.weight(1), 1e-15);
    }

    @Test
    void segmentsAreExactPooledStatisticsAndMergeWhenFull() {
        DomainAdapter adapter = new DomainAdapter(source, DetectorSettings.disabled());
        DomainState state = adapter.newDomain(Policies.create("balanced",
                Map.of("segment-length", "10", "max-segments", "2", "gate", "off")));
        FrameMoments f = new FrameMoments(source);
        double[] m = new double[35];
        double[] v = new double[35];
        for (int t = 0; t < 35; t++) {
            StatsFixtures.randomFrame(random, f, t / 10);
            m[t] = f.mean(1)[2];
            v[t] = f.var(1)[2];
            adapter.onFrame(state, f);
        }
        SegmentLibrary library = state.segments();
        // closed at 10, 20, 30 frames; the third close merged the two oldest: [frames 0–19], [20–29]; live 30–34
        assertEquals(2, library.size());
        assertEquals(20, library.segment(0).count());
        assertEquals(10, library.segment(1).count());
        assertEquals(5, library.live().count());
        assertPooled(m, v, 0, 20, library.segment(0).mean(1)[2], library.segment(0).var(1)[2]);
        assertPooled(m, v, 20, 30, library.segment(1).mean(1)[2], library.segment(1).var(1)[2]);
        assertPooled(m, v, 30, 35, library.live().mean(1)[2], library.live().var(1)[2]);
    }

    @Test
    void fedStatisticsAreTheMixtureOnlyOnceSegmentsExist() {
        DomainAdapter adapter = new DomainAdapter(source, DetectorSettings.disabled());
        DomainState state = adapter.newDomain(Policies.create("balanced",
                Map.of("segment-length", "50", "mixture-interval", "16", "gate", "off", "concentration", "inf",
                        "guard", "0")));
        FrameMoments f = new FrameMoments(source);
        for (int t = 0; t < 49; t++) {
            StatsFixtures.randomFrame(random, f, 0);
            adapter.onFrame(state, f);
            assertEquals((float) state.mean(0, 1), state.fedMean(0)[1]); // no segments yet: fed = estimate
        }
        StatsFixtures.randomFrame(random, f, 0);
        adapter.onFrame(state, f); // 50th frame closes the first segment and mixes
        double expected = (state.mean(0, 1) + state.segments().segment(0).mean(0)[1]) / 2;
        assertEquals(expected, state.fedMean(0)[1], 1e-6);
        float before = state.fedMean(0)[1];
        for (int t = 0; t < 15; t++) {
            StatsFixtures.randomFrame(random, f, 3);
            adapter.onFrame(state, f);
            assertEquals(before, state.fedMean(0)[1]); // mixture recomputed only every F = 16 frames
        }
        StatsFixtures.randomFrame(random, f, 3);
        adapter.onFrame(state, f);
        expected = (state.mean(0, 1) + state.segments().segment(0).mean(0)[1]) / 2;
        assertEquals(expected, state.fedMean(0)[1], 1e-6);
    }

    private static void assertPooled(double[] m, double[] v, int from, int to, double mean, double var) {
        double mu = 0;
        for (int i = from; i < to; i++) {
            mu += m[i];
        }
        mu /= to - from;
        double s = 0;
        for (int i = from; i < to; i++) {
            s += v[i] + (m[i] - mu) * (m[i] - mu);
        }
        assertEquals(mu, mean, 1e-12);
        assertEquals(s / (to - from), var, 1e-12);
    }
}
