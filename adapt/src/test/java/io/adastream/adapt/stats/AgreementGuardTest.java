package io.adastream.adapt.stats;

import io.adastream.adapt.stats.policy.AdaptationPolicy;
import io.adastream.adapt.stats.policy.Policies;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The agreement guard (docs/algorithms.md §11.11) and the condition gate (§11.12): their recursions against direct
 * sums, and their effect on a domain.
 */
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

    /** As {@link #frame}, with the first layer at {@code firstOffset} and the deeper layers at {@code deepOffset}. */
    private void layeredFrame(FrameMoments f, double firstOffset, double deepOffset, double jitter) {
        frame(f, deepOffset, jitter);
        float[] m = f.mean(0);
        for (int c = 0; c < m.length; c++) {
            double sd = Math.sqrt(source.var(0, c));
            m[c] = (float) (source.mean(0, c) + firstOffset * sd + jitter * sd * random.nextGaussian());
        }
    }

    @Test
    void gateIsClosedBelowTheThresholdAndOpenFromTwiceIt() {
        assertEquals(0.0, AgreementGuard.gate(0.04, 0.03));
        assertEquals(0.0, AgreementGuard.gate(0.04, 0.04));
        assertEquals(0.5, AgreementGuard.gate(0.04, 0.06), 1e-12);
        assertEquals(1.0, AgreementGuard.gate(0.04, 0.08), 1e-12);
        assertEquals(1.0, AgreementGuard.gate(0.04, 3.0));
        assertEquals(1.0, AgreementGuard.gate(0.0, 0.0)); // t = 0: off
        // the window's own noise E_w·D_1 is taken off its distance, never below 0
        assertEquals(0.05, AgreementGuard.conditionShift(0.1, 0.25, 0.2), 1e-15);
        assertEquals(0.0, AgreementGuard.conditionShift(0.01, 1.0, 0.5));
    }

    @Test
    void conditionWindowIsTheMeanOfTheFirstFramesThenAnExponentialWindow() {
        double[] mean = new double[1];
        double[] var = new double[1];
        double noise = 0;
        float[][] frames = {{3f, 1f}, {5f, 2f}, {1f, 6f}, {7f, 3f}};
        for (int i = 0; i < frames.length; i++) {
            double rate = AgreementGuard.windowRate(i);
            AgreementGuard.moveWindow(mean, var, new float[]{frames[i][0]}, new float[]{frames[i][1]}, rate);
            noise = AgreementGuard.nextNoiseWeight(noise, rate);
        }
        assertEquals(4.0, mean[0], 1e-12);      // the plain mean while 1/n > rate
        assertEquals(3.0, var[0], 1e-12);
        assertEquals(0.25, noise, 1e-12);       // E_w of a plain mean of 4 frames: 1/4
        assertEquals(AgreementGuard.WINDOW_RATE, AgreementGuard.windowRate(1000));
    }

    @Test
    void aShiftOnlyInDeepLayersIsServedTheSourceAndAFirstLayerShiftOpensTheGate() {
        DomainAdapter adapter = new DomainAdapter(source);
        FrameMoments f = new FrameMoments(source);
        // content shift: the first layer agrees with the source, the deeper layers move by one standard deviation
        DomainState content = adapter.newDomain(Policies.create("prior-decay"));
        DomainState ungated = adapter.newDomain(Policies.create("prior-decay", Map.of("min-shift", "0")));
        // condition shift: the first layer moves by half a standard deviation (S ≈ 0.25 ≫ 2t = 0.08), the rest as well
        DomainState condition = adapter.newDomain(Policies.create("prior-decay"));
        for (int t = 0; t < 60; t++) {
            layeredFrame(f, 0.0, 1.0, 0.1);
            adapter.onFrame(content, f);
            adapter.onFrame(ungated, f);
            layeredFrame(f, 0.5, 1.0, 0.1);
            adapter.onFrame(condition, f);
        }
        float[] blend = new float[source.layers()];
        adapter.blendWeights(content, blend);
        assertEquals(0.0, content.guard().gate());
        assertEquals(1.0, condition.guard().gate());
        assertEquals(1.0, ungated.guard().gate());
        for (int l = 0; l < source.layers(); l++) {
            assertEquals(0f, blend[l], "layer " + l + " blend");
            for (int c = 0; c < source.channels(l); c++) {
                assertEquals((float) source.mean(l, c), content.fedMean(l)[c], 0f, "layer " + l + " is the source's");
                assertEquals((float) source.var(l, c), content.fedVar(l)[c], 0f);
            }
            if (l > 0) {
                // without the gate, and with a first-layer shift, the deep layers adapt: about 1 from the source
                double ungatedDistance = AgreementGuard.distanceFromSource(ungated.fedMean(l), ungated.fedVar(l), source, l);
                double conditionDistance = AgreementGuard.distanceFromSource(condition.fedMean(l), condition.fedVar(l),
                        source, l);
                assertTrue(ungatedDistance > 0.5, "layer " + l + ": " + ungatedDistance);
                assertTrue(conditionDistance > 0.5, "layer " + l + ": " + conditionDistance);
            }
        }
    }

}
