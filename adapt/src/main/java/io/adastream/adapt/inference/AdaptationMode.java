package io.adastream.adapt.inference;

/**
 * How a frame's prediction and its statistics update are sequenced (docs/algorithms.md §11.3).
 */
public enum AdaptationMode {
    /**
     * One pass: each layer normalizes with its domain's statistics blended with the frame's own moments by the
     * policy's weight b (regime C); the moments it returns update the domain afterwards.
     */
    FUSED,
    /**
     * Two passes: pass 1 collects moments with b = 0 (regime B: upstream layers use the domain's current
     * statistics, never the frame's own, which at batch size 1 would instance-normalize them), the policy folds
     * them, and pass 2 predicts with b = 0 and the updated statistics. Exact "update then predict", twice the cost.
     */
    TWO_PASS
}
