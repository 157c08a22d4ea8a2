package io.adastream.adapt.stats.policy;

import io.adastream.adapt.stats.VarianceMode;

import java.util.Map;

/**
 * How a domain's statistics follow its frames: the weight {@code w} of the next frame in the fold, the prediction
 * blend weight {@code b} of the fused single pass, and what happens to the schedule at a segment start. Policies are
 * immutable and shared by all domains; the per-domain position lives in a {@link Schedule}.
 *
 * <p>The fold itself is the same for every policy: μ ← μ + w·δ; σ² ← (1−w)·σ² + w·v + w·(1−w)·δ²
 * ({@link io.adastream.adapt.stats.MomentAlgebra#fold}), with the cross term dropped in {@code ema-var} mode.
 */
public interface AdaptationPolicy {

    /** Default cap {@code b_max} of the prediction blend weight. */
    double DEFAULT_MAX_BLEND = 0.5;

    /** The registry name, e.g. {@code prior-decay}. */
    String name();

    /** Every parameter with its value (defaults included), in the form {@link Policies#create} accepts. */
    Map<String, String> parameters();

    /** How the fold combines variances. */
    VarianceMode varianceMode();

    /** Puts a fresh (or reset) domain's schedule at its start: a ← a0, k ← 0, ω_src ← 1. */
    void start(Schedule schedule);

    /** Restarts the schedule at a confirmed shift (a ← N_restart for prior-based policies, k ← 0 for decay). */
    void restart(Schedule schedule);

    /** Takes over a schedule written by another policy (set-policy), re-deriving its own position where possible. */
    void adopt(Schedule schedule);

    /** The weight the next fold would use, without moving the schedule. */
    double peekWeight(Schedule schedule);

    /** Moves the schedule one frame on and returns that frame's fold weight {@code w}. */
    double advance(Schedule schedule);

    /** Whether this policy never folds (w ≡ 0). */
    default boolean isStatic() {
        return false;
    }

    /** UBNA+ depth factor α_layer: layer {@code l} (from 0) folds with w·exp(−α_layer·l). 0 disables it. */
    default double layerDecay() {
        return 0.0;
    }

    /** The cap {@code b_max} of the prediction blend weight. */
    default double maxBlend() {
        return DEFAULT_MAX_BLEND;
    }

    /**
     * The agreement guard's strength κ ({@code guard} parameter, docs/algorithms.md §11.11): the fed statistics are
     * shrunk towards the source by λ = max(0, 1 − κ·E·D/S); 0 turns the guard off.
     */
    default double guardStrength() {
        return 0.0;
    }

    /**
     * The condition gate's threshold t ({@code min-shift} parameter, docs/algorithms.md §11.12): a domain whose first
     * layer moved less than t from the source is served the source statistics; 0 turns the gate off.
     */
    default double minShift() {
        return 0.0;
    }

    /** Layer {@code layer}'s fold weight for the layer-independent weight {@code w}: w·exp(−α_layer·layer). */
    default double layerWeight(double w, int layer) {
        double alpha = layerDecay();
        return alpha == 0.0 ? w : w * Math.exp(-alpha * layer);
    }

    /** The prediction blend weight b = min(w_layer, b_max) for the next frame at layer {@code layer}. */
    default double blendWeight(Schedule schedule, int layer) {
        return Math.min(layerWeight(peekWeight(schedule), layer), maxBlend());
    }

    /**
     * Moves the schedule {@code n} frames on for a pooled block of {@code n} frames and returns the block's weight
     * W = 1 − Π(1 − w_i), so that folding the block's pooled moments with W gives the block the weight its frames
     * would have had together (exact for c = 1 without a floor).
     */
    default double advanceBlock(Schedule schedule, long n) {
        double keep = 1.0;
        for (long i = 0; i < n; i++) {
            keep *= 1.0 - advance(schedule);
        }
        return 1.0 - keep;
    }

    /** The segment-library settings of the {@code balanced} policy, or null for a policy without segments. */
    default SegmentSettings segments() {
        return null;
    }
}
