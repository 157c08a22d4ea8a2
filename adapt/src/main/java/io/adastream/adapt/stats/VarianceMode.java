package io.adastream.adapt.stats;

/** How a fold combines variances (docs/algorithms.md §1.2). */
public enum VarianceMode {
    /** σ² ← (1−w)·σ² + w·v + w·(1−w)·δ²: the mixture of the two distributions, equal to an EMA of raw moments. */
    MOMENT_EXACT("moment-exact"),
    /** σ² ← (1−w)·σ² + w·v: the PyTorch / ONNX / DUA rule, without the between-frame term. */
    EMA_VAR("ema-var");

    private final String id;

    VarianceMode(String id) {
        this.id = id;
    }

    /** The parameter value naming this mode. */
    public String id() {
        return id;
    }

    /** The mode named {@code id}, or an IllegalArgumentException listing the valid names. */
    public static VarianceMode parse(String id) {
        for (VarianceMode mode : values()) {
            if (mode.id.equals(id)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown variance mode '" + id + "'; expected moment-exact or ema-var");
    }
}
