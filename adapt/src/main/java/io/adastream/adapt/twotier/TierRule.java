package io.adastream.adapt.twotier;

import io.adastream.adapt.stats.DomainState;
import io.adastream.adapt.stats.FrameOutcome;
import io.adastream.adapt.stats.shift.DetectorSettings;

/**
 * The two-tier path's rule: which graph a frame of a domain runs through, how the adaptive interval K moves and
 * when the domain is re-baked, as functions of the domain's state alone (its {@link DomainState} and
 * {@link TierState}), never of timing, of the session cache or of a bake finishing elsewhere.
 *
 * <ul>
 *   <li><b>stable</b>: the detector is past its warm-up (or disabled), no alarm is open, no frame is held, and the
 *   fold weight the next frame would get is at most {@link TierSettings#stableWeight()} (a frozen domain's is 0);</li>
 *   <li><b>route</b>: adaptive unless the domain is stable and has a bake; then every K-th frame adaptive (K − 1
 *   baked frames, then one adaptive);</li>
 *   <li><b>K</b>: after an adaptive frame, doubled (up to {@link TierSettings#kMax()}) when the domain is stable and
 *   the frame was folded (or the domain is frozen), back to 1 otherwise (a transient: warm-up, alarm, held frames,
 *   confirmed or dismissed shift, rejected frame);</li>
 *   <li><b>re-bake</b>: after such a stable adaptive frame, when the domain has no bake or its fed statistics are
 *   more than {@link TierSettings#rebakeDistance()} from the baked ones ({@link #distance}); the bake is the fed
 *   statistics at that frame boundary, copied at once, and every later baked frame predicts with exactly them.</li>
 * </ul>
 * An adaptive frame of a stable, baked domain stands for the K − 1 baked frames before it too
 * ({@link DomainState#observeNextAs}): its score enters the detector's baseline, and its moments the estimate, as K
 * frames of them would, so that the domain adapts and its baseline settles at the stream's pace (one fold and one
 * baseline step per K frames left the baseline at a new segment's early, high scores for thousands of frames and a
 * following shift under the alarm ratio). A shift starting on a baked frame is seen by the next adaptive frame, at
 * most K_max − 1 frames later; from then on the alarm makes every frame adaptive.
 */
public final class TierRule {

    private final TierSettings settings;
    private final DetectorSettings detector;

    public TierRule(TierSettings settings, DetectorSettings detector) {
        this.settings = settings;
        this.detector = detector;
    }

    public TierSettings settings() {
        return settings;
    }

    /** Whether the domain's statistics are settled enough for baked frames (see the class comment). */
    public boolean stable(DomainState state) {
        boolean warmedUp = !detector.enabled() || state.detector().frames() >= detector.warmup();
        return warmedUp && !state.detector().alarmOpen() && state.heldFrames() == 0
                && state.nextWeight() <= settings.stableWeight();
    }

    /** The path of the domain's next frame. */
    public InferencePath route(DomainState state, TierState tier) {
        if (tier.baked == null || !stable(state) || tier.sinceAdaptive + 1 >= tier.k) {
            return InferencePath.ADAPTIVE;
        }
        return InferencePath.BAKED;
    }

    /**
     * Routes the domain's next frame and records it: a baked frame counts towards the interval, an adaptive one
     * restarts it and, when the domain is stable and baked, is declared to stand for the baked frames before it.
     * Frames of one domain in one batch are routed in frame order before the batch runs (so they all see
     * the pre-batch K and bake, as they all see the pre-batch statistics).
     */
    public InferencePath next(DomainState state, TierState tier) {
        InferencePath path = route(state, tier);
        if (path == InferencePath.BAKED) {
            tier.sinceAdaptive++;
        } else {
            state.observeNextAs(tier.baked != null && stable(state) ? tier.sinceAdaptive + 1 : 1);
            tier.sinceAdaptive = 0;
        }
        return path;
    }

    /**
     * Records an adaptive frame once its moments are folded (the domain state is the post-frame one): moves K on and
     * re-bakes when due. Returns whether it re-baked.
     */
    public boolean afterAdaptive(DomainState state, TierState tier, FrameOutcome outcome) {
        boolean settled = stable(state) && (outcome == FrameOutcome.FOLDED || outcome == FrameOutcome.FROZEN);
        if (!settled) {
            tier.k = 1;
            return false;
        }
        tier.k = (int) Math.min(2L * tier.k, settings.kMax());
        if (tier.baked == null || distance(state, tier.baked) > settings.rebakeDistance()) {
            tier.baked = BakedStatistics.of(state);
            tier.bakes++;
            return true;
        }
        return false;
    }

    /**
     * How far the domain's fed statistics are from baked ones, in the units of the normalized activations: per layer
     * the root mean square over channels of {@code d_c² = (μ − μ_b)² / (σ²_b + ε) + ¼·ln²((σ² + ε) / (σ²_b + ε))}
     * (the first term the shift of the normalized activation's mean, the second the log ratio of its scale), the
     * largest over layers. 0.05 means the baked model normalizes with a mean 5% of a standard deviation off, or a
     * scale 5% off, on average over a layer's channels.
     */
    public static double distance(DomainState state, BakedStatistics baked) {
        if (baked.layers() != state.layers()) {
            throw new IllegalArgumentException("baked statistics have " + baked.layers() + " layers, the domain "
                    + state.layers());
        }
        double worst = 0;
        for (int l = 0; l < state.layers(); l++) {
            float[] m = state.fedMean(l);
            float[] v = state.fedVar(l);
            double eps = state.source().epsilon(l);
            double sum = 0;
            for (int c = 0; c < m.length; c++) {
                double vb = baked.varAt(l, c) + eps;
                double dm = m[c] - baked.meanAt(l, c);
                double logRatio = Math.log((v[c] + eps) / vb);
                sum += dm * dm / vb + 0.25 * logRatio * logRatio;
            }
            worst = Math.max(worst, Math.sqrt(sum / Math.max(m.length, 1)));
        }
        return worst;
    }
}
