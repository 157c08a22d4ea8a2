package io.adastream.adapt.stats;

import io.adastream.adapt.stats.policy.Policies;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Snapshots in float32 and float16: sizes, round-trip error, and variances far beyond float16's range. */
class SnapshotPrecisionTest {

    @Test
    void reducedPrecisionKeepsTheStatisticsWithinItsRoundingError() throws Exception {
        int layers = 4;
        int channels = 500;
        List<float[]> means = new ArrayList<>();
        List<float[]> vars = new ArrayList<>();
        Random r = new Random(1);
        for (int l = 0; l < layers; l++) {
            float[] m = new float[channels];
            float[] v = new float[channels];
            for (int c = 0; c < channels; c++) {
                m[c] = (float) (r.nextGaussian() * Math.pow(10, l));        // up to ~3,000
                v[c] = (float) (Math.pow(10, 2 * l) * (0.1 + r.nextDouble())); // up to ~1.1e6: beyond 65504
            }
            means.add(m);
            vars.add(v);
        }
        byte[] fingerprint = new byte[32];
        SourceStatistics source = SourceStatistics.of(means, vars, fingerprint);
        DomainAdapter adapter = new DomainAdapter(source);
        DomainState state = adapter.newDomain(Policies.create("adabn", java.util.Map.of("guard", "0")));
        FrameMoments frame = new FrameMoments(source);
        for (int l = 0; l < layers; l++) {
            for (int c = 0; c < channels; c++) {
                frame.mean(l)[c] = means.get(l)[c] * 1.1f + 0.5f;
                frame.var(l)[c] = vars.get(l)[c] * 0.9f;
            }
        }
        adapter.onFrame(state, frame);

        byte[] f64 = SnapshotCodec.write(state, StatisticsPrecision.FLOAT64);
        byte[] f32 = SnapshotCodec.write(state, StatisticsPrecision.FLOAT32);
        byte[] f16 = SnapshotCodec.write(state, StatisticsPrecision.FLOAT16);
        double ratio32 = (double) f32.length / f64.length;
        double ratio16 = (double) f16.length / f64.length;
        System.out.printf("snapshot of %d channels: float64 %d B, float32 %d B (%.2f), float16 %d B (%.2f)%n",
                layers * channels, f64.length, f32.length, ratio32, f16.length, ratio16);
        assertTrue(ratio32 < 0.55 && ratio32 > 0.45, "float32 is about half: " + ratio32);
        assertTrue(ratio16 < 0.30 && ratio16 > 0.20, "float16 is about a quarter: " + ratio16);

        DomainState exact = SnapshotCodec.read(f64, source);
        DomainState single = SnapshotCodec.read(f32, source);
        DomainState half = SnapshotCodec.read(f16, source);
        for (int l = 0; l < layers; l++) {
            for (int c = 0; c < channels; c++) {
                assertEquals(state.mean(l, c), exact.mean(l, c), 0.0);
                assertEquals(state.var(l, c), exact.var(l, c), 0.0);
                assertEquals(state.mean(l, c), single.mean(l, c), 1e-7 * Math.abs(state.mean(l, c)) + 1e-30);
                assertEquals(state.var(l, c), single.var(l, c), 1e-7 * state.var(l, c));
                // float16 keeps 11 significant bits relative to its array's largest value
                double meanScale = maxAbs(state, l, true);
                double varScale = maxAbs(state, l, false);
                assertEquals(state.mean(l, c), half.mean(l, c), Math.max(1e-3 * Math.abs(state.mean(l, c)), 1e-4 * meanScale));
                assertEquals(state.var(l, c), half.var(l, c), Math.max(1e-3 * state.var(l, c), 1e-4 * varScale));
            }
        }
        assertEquals(state.frameCount(), half.frameCount());
    }

    @Test
    void halfFloatConversionRoundsToNearestEven() {
        for (float f : new float[]{0f, 1f, -2.5f, 65504f, 6.1035156e-5f, 5.9604645e-8f, 0.1f, 1234.5f}) {
            float back = HalfFloat.toFloat(HalfFloat.fromFloat(f));
            assertEquals(f, back, Math.abs(f) * 1e-3 + 1e-12, "value " + f);
        }
        assertEquals(Float.POSITIVE_INFINITY, HalfFloat.toFloat(HalfFloat.fromFloat(1e6f)));
        assertEquals(1f, HalfFloat.toFloat(HalfFloat.fromFloat(1.0004f)));        // below the half-ulp of 1
        assertEquals(1.0009765625f, HalfFloat.toFloat(HalfFloat.fromFloat(1.0007f))); // above it
    }

    private static double maxAbs(DomainState s, int layer, boolean mean) {
        double m = 0;
        for (int c = 0; c < s.channels(layer); c++) {
            m = Math.max(m, Math.abs(mean ? s.mean(layer, c) : s.var(layer, c)));
        }
        return m;
    }
}
