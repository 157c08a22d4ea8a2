package io.adastream.adapt.stats.policy;

import java.util.Map;

/**
 * {@code source-prior} (Schneider et al.): the source statistics count as N pseudo-frames. The recursion with
 * a0 = N, c = 1, no floor gives w_t = 1/(N + t), so after T frames μ_T = (N·μ_s + Σ m_i)/(N + T). In moment-exact
 * mode the variance also gets the between-frame and source-vs-target terms (docs/algorithms.md §1.3); {@code ema-var}
 * gives the paper's plain variance mix.
 */
public final class SourcePriorPolicy extends RecursionPolicy {

    public static final String NAME = "source-prior";
    public static final double DEFAULT_PRIOR = 16;
    public static final double DEFAULT_RESTART_COUNT = 16;

    private SourcePriorPolicy(double prior, double restart, PolicyParameters p) {
        super(NAME, prior, 1.0, 0.0, restart, p);
    }

    /** Parameters: {@code prior} N ≥ 0 (16), {@code restart-count} (16), {@code variance}, {@code b-max}, {@code layer-decay}. */
    public static SourcePriorPolicy create(Map<String, String> given) {
        PolicyParameters p = new PolicyParameters(NAME, given);
        double prior = p.number("prior", DEFAULT_PRIOR, 0, false, 1e12);
        double restart = p.number("restart-count", DEFAULT_RESTART_COUNT, 0, false, 1e12);
        return new SourcePriorPolicy(prior, restart, p);
    }
}
