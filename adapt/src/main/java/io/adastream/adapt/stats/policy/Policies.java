package io.adastream.adapt.stats.policy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The registry of adaptation policies by name. */
public final class Policies {

    /** The recommended default policy. */
    public static final String DEFAULT = PriorDecayPolicy.NAME;

    /** Every registered policy name. */
    public static final List<String> NAMES = List.of(SourcePolicy.NAME, AdaBnPolicy.NAME, EmaPolicy.NAME,
            MomentumDecayPolicy.NAME, SourcePriorPolicy.NAME, PriorDecayPolicy.NAME, BalancedPolicy.NAME);

    private Policies() {
    }

    /**
     * The policy {@code name} with the given parameters (missing ones take their defaults).
     *
     * @throws IllegalArgumentException for an unknown name, an unknown parameter or a value out of range
     */
    public static AdaptationPolicy create(String name, Map<String, String> params) {
        if (name == null) {
            throw new IllegalArgumentException("policy name is missing; known: " + String.join(", ", NAMES));
        }
        return switch (name) {
            case SourcePolicy.NAME -> new SourcePolicy(params);
            case AdaBnPolicy.NAME -> AdaBnPolicy.create(params);
            case EmaPolicy.NAME -> EmaPolicy.create(params);
            case MomentumDecayPolicy.NAME -> MomentumDecayPolicy.create(params);
            case SourcePriorPolicy.NAME -> SourcePriorPolicy.create(params);
            case PriorDecayPolicy.NAME -> PriorDecayPolicy.create(params);
            case BalancedPolicy.NAME -> BalancedPolicy.create(params);
            default -> throw new IllegalArgumentException("unknown policy '" + name + "'; known: " + String.join(", ", NAMES));
        };
    }

    /**
     * The policy of a one-word spec {@code name[:key=value[;key=value...]]}, e.g. {@code prior-decay:guard=0;prior=32}
     * (what the evaluation's policy lists take, so that one run can compare parameter settings).
     *
     * @throws IllegalArgumentException for a malformed spec or what {@link #create(String, Map)} refuses
     */
    public static AdaptationPolicy fromSpec(String spec) {
        int colon = spec.indexOf(':');
        if (colon < 0) {
            return create(spec.trim());
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : spec.substring(colon + 1).split(";")) {
            int eq = pair.indexOf('=');
            if (eq <= 0 || params.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim()) != null) {
                throw new IllegalArgumentException("policy spec '" + spec + "': expected name:key=value;key=value"
                        + " with each key once");
            }
        }
        return create(spec.substring(0, colon).trim(), params);
    }

    /** The policy {@code name} with its default parameters. */
    public static AdaptationPolicy create(String name) {
        return create(name, Map.of());
    }

    /** The recommended default, {@code prior-decay} with N_prior = 16, w_min = 0.005. */
    public static AdaptationPolicy defaultPolicy() {
        return create(DEFAULT);
    }
}
