package io.adastream.adapt.stats.policy;

import java.util.Map;

/**
 * {@code adabn} (Li et al.): equal-weight pooled statistics of every frame since the segment start. The recursion
 * with a0 = 0, c = 1 gives w_t = 1/t, and the moment-exact fold of w_t is the Chan merge, so after T frames
 * μ = mean of all pixels and σ² = their population variance. Parameter {@code window} (optional) caps the effective
 * count: w_min = 1/window, i.e. an EMA with memory {@code window} once that many frames were seen.
 * The first frame replaces the source statistics entirely (w_1 = 1); the blend cap b_max keeps it from
 * instance-normalizing the prediction.
 */
public final class AdaBnPolicy extends RecursionPolicy {

    public static final String NAME = "adabn";

    private AdaBnPolicy(double minWeight, PolicyParameters p) {
        super(NAME, 0.0, 1.0, minWeight, Double.NaN, p);
    }

    /** Parameters: {@code window} (≥ 1 frames, default unbounded), {@code variance}, {@code b-max}, {@code layer-decay}. */
    public static AdaBnPolicy create(Map<String, String> given) {
        PolicyParameters p = new PolicyParameters(NAME, given);
        String raw = p.raw("window");
        double minWeight = 0.0;
        if (raw == null || raw.trim().equals("none")) {
            p.put("window", "none");
        } else {
            minWeight = 1.0 / p.number("window", 0, 1, false, 1e12);
        }
        return new AdaBnPolicy(minWeight, p);
    }
}
