package io.adastream.adapt.stats;

import io.adastream.adapt.stats.policy.AdaptationPolicy;
import io.adastream.adapt.stats.policy.Policies;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The agreement guard (docs/algorithms.md §11.11): its recursions against direct sums, and its effect on a domain. */
class AgreementGuardTest {

    private final Random random = new Random(23);
    private final SourceStatistics source = StatsFixtures.source(random, 16, 24, 8);

    /**
     * Frames of a domain: per channel mean μ_s + offset·σ_s + jitter·σ_s·N(0, 1) and within-frame variance
     * (1 − jitter²)·σ²_s·U(0.8, 1.2), so that the pixels of all frames pooled have the source's variance.
     */
    private void frame(FrameMoments f, double offset, double jitter) {
        for (int l = 0; l < f.layers(); l++) {
            float[] m = f.mean(l);
            float[] v = f.var(l);
            for (int c = 0; c < m.length; c++) {
                double sd = Math.sqrt(source.var(l, c));
                m[c] = (float) (source.mean(l, c) + offset * sd + jitter * sd * random.nextGaussian());
                v[c] = (float) ((1 - jitter * jitter) * source.var(l, c) * (0.8 + 0.4 * random.nextDouble()));
            }
        }
    }

    @Test
    void noiseWeightIsTheSumOfTheFramesSquaredWeightsInTheEstimate() {
        // the estimate after folds with w_1..w_n is ω·μ_s + Σ c_i·m_i with c_i = w_i·Π_{j>i}(1 − w_j): E must be Σ c_i²
        double[] w = new double[40];
        for (int i = 0; i < w.length; i++) {
            w[i] = i == 0 ? 1.0 / 17 : 0.02 + 0.5 * random.nextDouble();
        }
        double e = 0;
        for (double wi : w) {
            e = AgreementGuard.nextNoiseWeight(e, wi);
        }
        double direct = 0;
        for (int i = 0; i < w.length; i++) {
            double c = w[i];
            for (int j = i + 1; j < w.length; j++) {
                c *= 1 - w[j];
            }
            direct += c * c;
        }
        assertEquals(direct, e, 1e-15);
        // a pooled block of n frames weighs W in all, W/n each: its frames add n·(W/n)² = W²/n
        assertEquals(0.75 * 0.75 * 0.1 + 0.25 * 0.25 / 5, AgreementGuard.nextNoiseWeight(0.1, 0.25, 5), 1e-15);
    }

    @Test
    void scaleIsThePositivePartJamesSteinFactor() {
        assertEquals(0.5, AgreementGuard.scale(1.0, 0.25, 2.0, 1.0), 1e-15);
        assertEquals(0.0, AgreementGuard.scale(1.0, 0.5, 4.0, 1.0));          // noise beyond the distance: source
        assertEquals(0.75, AgreementGuard.scale(0.5, 0.25, 2.0, 1.0), 1e-15);  // κ scales the noise term
        assertEquals(1.0, AgreementGuard.scale(0.0, 0.5, 4.0, 1.0));          // κ = 0: off
        assertEquals(1.0, AgreementGuard.scale(1.0, 0.5, 4.0, 0.0));          // nothing moved
    }

    @Test
    void dispersionRunningMeanIsTheMeanThenAnExponentialWindow() {
        double d = 0;
        double[] x = {3, 5, 1, 7};
        for (int i = 0; i < x.length; i++) {
            d = AgreementGuard.nextDispersion(d, i, x[i]);
        }
        assertEquals(4.0, d, 1e-12); // the plain mean while 1/n > rate
        double late = AgreementGuard.nextDispersion(4.0, 100, 24.0);
        assertEquals(4.0 + AgreementGuard.DISPERSION_RATE * 20.0, late, 1e-12);
    }

    @Test
    void unrelatedScenesStayNearTheSourceAndAConsistentShiftAdaptsFully() {
        DomainAdapter adapter = new DomainAdapter(source);
        FrameMoments f = new FrameMoments(source);
        // unrelated scenes: no shift, large content scatter between frames
        DomainState scattered = adapter.newDomain(Policies.create("adabn"));
        DomainState scatteredPlain = adapter.newDomain(Policies.create("adabn", Map.of("guard", "0")));
        for (int t = 0; t < 60; t++) {
            frame(f, 0.0, 0.8);
            adapter.onFrame(scattered, f);
            adapter.onFrame(scatteredPlain, f);
        }
        // a consistent shift of one source standard deviation, frames agreeing (small scatter)
        DomainState shifted = adapter.newDomain(Policies.create("adabn"));
        for (int t = 0; t < 60; t++) {
            frame(f, 1.0, 0.3);
            adapter.onFrame(shifted, f);
        }
        for (int l = 0; l < source.layers(); l++) {
            double guarded = AgreementGuard.distanceFromSource(scattered.fedMean(l), scattered.fedVar(l), source, l);
            double plain = AgreementGuard.distanceFromSource(scatteredPlain.fedMean(l), scatteredPlain.fedVar(l),
                    source, l);
            // E·D ≈ 0.64/60 against S ≈ 0.64/60 plus the variance's noise: λ small, the fed statistics near the source
            assertTrue(scattered.guard().scale(l) < 0.5, "layer " + l + " λ = " + scattered.guard().scale(l));
            assertTrue(guarded < 0.3 * plain, "layer " + l + ": " + guarded + " vs unguarded " + plain);
            assertEquals(1.0, scatteredPlain.guard().scale(l));
            // S ≈ 1 + noise against E·D ≈ 0.09/60: λ ≈ 1
            assertTrue(shifted.guard().scale(l) > 0.99, "layer " + l + " λ = " + shifted.guard().scale(l));
        }
    }

    @Test
    void fedStatisticsAndBlendAreTheEstimateShrunkByLambda() {
        DomainAdapter adapter = new DomainAdapter(source);
        AdaptationPolicy policy = Policies.create("prior-decay");
        DomainState state = adapter.newDomain(policy);
        FrameMoments f = new FrameMoments(source);
        for (int t = 0; t < 25; t++) {
            frame(f, 0.2, 0.7);
            adapter.onFrame(state, f);
        }
        float[] blend = new float[source.layers()];
        adapter.blendWeights(state, blend);
        boolean someShrunk = false;
        for (int l = 0; l < source.layers(); l++) {
            double lambda = state.guard().scale(l);
            someShrunk |= lambda < 1;
            for (int c = 0; c < source.channels(l); c++) {
                double ms = source.mean(l, c);
                double vs = source.var(l, c);
                assertEquals((float) (ms + lambda * ((float) state.mean(l, c) - ms)), state.fedMean(l)[c], 0f);
                assertEquals((float) (vs + lambda * ((float) state.var(l, c) - vs)), state.fedVar(l)[c], 0f);
            }
            double b = Math.min(state.nextWeight(), policy.maxBlend());
            assertEquals((float) (b * lambda), blend[l], 0f);
        }
        assertTrue(someShrunk, "a weak, scattered shift should be shrunk somewhere");
    }
}
