package io.adastream.adapt.stats.policy;

import java.util.Map;

/**
 * {@code prior-decay}, the recommended default (docs/algorithms.md §11.3): a source prior of N_prior frames, then an
 * EMA with a floor. Recursion a0 = N_prior, c = 1: w_t = max(1/(N_prior + t), w_min). With N_prior = 16 and
 * w_min = 0.005 the weight is 1/17 on the first frame and reaches the floor (memory ≈ 200 frames) after 184 frames.
 */
public final class PriorDecayPolicy extends RecursionPolicy {

    public static final String NAME = "prior-decay";
    public static final double DEFAULT_PRIOR = 16;
    public static final double DEFAULT_FLOOR = 0.005;

    private PriorDecayPolicy(double prior, double floor, double restart, PolicyParameters p) {
        super(NAME, prior, 1.0, floor, restart, p);
    }

    /**
     * Parameters: {@code prior} N_prior ≥ 0 (16), {@code floor} w_min ∈ [0, 1] (0.005), {@code restart-count} (16),
     * {@code variance}, {@code b-max}, {@code layer-decay}.
     */
    public static PriorDecayPolicy create(Map<String, String> given) {
        PolicyParameters p = new PolicyParameters(NAME, given);
        double prior = p.number("prior", DEFAULT_PRIOR, 0, false, 1e12);
        double floor = p.number("floor", DEFAULT_FLOOR, 0, false, 1);
        double restart = p.number("restart-count", SourcePriorPolicy.DEFAULT_RESTART_COUNT, 0, false, 1e12);
        return new PriorDecayPolicy(prior, floor, restart, p);
    }
}
