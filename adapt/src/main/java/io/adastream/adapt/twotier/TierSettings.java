package io.adastream.adapt.twotier;

/**
 * Settings of the two-tier path's rule ({@link TierRule}): the longest adaptive interval {@code kMax} (every K-th
 * frame of a stable domain runs adaptive, K doubling from 1 up to it), the fold weight at or under which a quiet
 * domain counts as stable, and the distance its statistics may move from the baked ones before a re-bake.
 */
public record TierSettings(int kMax, double stableWeight, double rebakeDistance) {

    /** The default longest interval: 32 frames, so a shift is seen at most 31 frames late. */
    public static final int DEFAULT_K_MAX = 32;
    /**
     * The default stable fold weight: 0.0075, reached by prior-decay after 117 folds and adabn after 134, so that a
     * domain is baked only once its estimate has all but converged (a baked frame folds nothing: baking at 0.02, after
     * 33 folds, left the estimate a third source and cost 1.5 to 6.7 mIoU points on the eval's stationary streams).
     * A policy whose weight never falls this low (ema with its fixed momentum) is never baked.
     */
    public static final double DEFAULT_STABLE_WEIGHT = 0.0075;
    /** The default re-bake distance: 0.05, an RMS of 5% of a standard deviation in the normalized activations. */
    public static final double DEFAULT_REBAKE_DISTANCE = 0.05;

    public TierSettings {
        if (kMax < 1 || kMax > 1 << 20) {
            throw new IllegalArgumentException("the two-tier path's K maximum must be in [1, 1048576], got " + kMax);
        }
        if (!(stableWeight >= 0 && stableWeight <= 1)) {
            throw new IllegalArgumentException("the two-tier path's stable weight must be in [0, 1], got " + stableWeight);
        }
        if (!(rebakeDistance > 0) || Double.isInfinite(rebakeDistance)) {
            throw new IllegalArgumentException("the two-tier path's re-bake distance must be finite and > 0, got "
                    + rebakeDistance);
        }
    }

    public static TierSettings defaults() {
        return new TierSettings(DEFAULT_K_MAX, DEFAULT_STABLE_WEIGHT, DEFAULT_REBAKE_DISTANCE);
    }

    public TierSettings withKMax(int k) {
        return new TierSettings(k, stableWeight, rebakeDistance);
    }
}
