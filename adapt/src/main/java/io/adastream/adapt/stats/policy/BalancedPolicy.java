package io.adastream.adapt.stats.policy;

import java.util.Map;

/**
 * {@code balanced} (AdaB²N, docs/algorithms.md §6 and §11.5). Within a segment, the κ-balanced momentum of AdaB²N over
 * frames: c = (1−η)^κ, a0 = (η^−κ − 1)/c so that w_1 = η^κ, then a ← 1 + c·a, w = 1/a (w_1 = 0.7943,
 * w_2 = 0.4453, w_3 = 0.3103 for η = κ = 0.1; memory ≈ 1/(1 − c) ≈ 95 frames). {@code prior} = N replaces a0 by a
 * source prior of N frames. Across segments, a library of closed segments (exact pooled statistics) is mixed with
 * the live estimate; see {@link SegmentSettings} and {@code io.adastream.adapt.stats.SegmentLibrary}.
 */
public final class BalancedPolicy extends RecursionPolicy {

    public static final String NAME = "balanced";

    private final SegmentSettings segments;

    private BalancedPolicy(double a0, double c, double restart, SegmentSettings segments, PolicyParameters p) {
        super(NAME, a0, c, 0.0, restart, p);
        this.segments = segments;
    }

    /**
     * Parameters: {@code eta} η ∈ (0, 1) (0.1), {@code kappa} κ ∈ (0, 1] (0.1), {@code prior} (none: a0 from η, κ),
     * {@code concentration} α_D ≥ 0 or {@code inf}/{@code equal} (100), {@code segment-length} L_seg (1000),
     * {@code max-segments} K_max (4), {@code mixture-interval} F (16), {@code gate} auto | off | τ_g &gt; 0 (auto),
     * {@code restart-count} (16), {@code variance}, {@code b-max}, {@code layer-decay}.
     */
    public static BalancedPolicy create(Map<String, String> given) {
        PolicyParameters p = new PolicyParameters(NAME, given);
        double eta = p.number("eta", 0.1, 0, true, 0.999999);
        double kappa = p.number("kappa", 0.1, 0, true, 1);
        double c = decay(eta, kappa);
        double a0;
        String prior = p.raw("prior");
        if (prior == null || prior.trim().equals("none")) {
            p.put("prior", "none");
            a0 = initialCount(eta, kappa);
        } else {
            a0 = p.number("prior", 0, 0, false, 1e12);
        }
        double concentration;
        String rawAlpha = p.raw("concentration");
        if (rawAlpha != null && (rawAlpha.trim().equals("inf") || rawAlpha.trim().equals("equal"))) {
            concentration = Double.POSITIVE_INFINITY;
            p.put("concentration", "inf");
        } else {
            concentration = p.number("concentration", 100, 0, false, 1e12);
        }
        long length = p.integer("segment-length", 1000, 1, Long.MAX_VALUE / 4);
        int max = (int) p.integer("max-segments", 4, 1, 16);
        int interval = (int) p.integer("mixture-interval", 16, 1, 1_000_000);
        double gate;
        String rawGate = p.raw("gate");
        if (rawGate == null || rawGate.trim().equals("auto")) {
            gate = Double.NaN;
            p.put("gate", "auto");
        } else if (rawGate.trim().equals("off")) {
            gate = 0.0;
            p.put("gate", "off");
        } else {
            gate = p.number("gate", 0, 0, true, 1e12);
        }
        double restart = p.number("restart-count", SourcePriorPolicy.DEFAULT_RESTART_COUNT, 0, false, 1e12);
        return new BalancedPolicy(a0, c, restart, new SegmentSettings(concentration, length, max, interval, gate), p);
    }

    /** AdaB²N's per-frame discount c = (1−η)^κ. */
    static double decay(double eta, double kappa) {
        return Math.pow(1 - eta, kappa);
    }

    /** The a0 for which the first weight is η^κ: 1 + c·a0 = η^−κ. */
    static double initialCount(double eta, double kappa) {
        return (Math.pow(eta, -kappa) - 1) / decay(eta, kappa);
    }

    @Override
    public SegmentSettings segments() {
        return segments;
    }
}
