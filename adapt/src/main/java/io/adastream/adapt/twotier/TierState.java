package io.adastream.adapt.twotier;

/**
 * A domain's two-tier state, beside its {@link io.adastream.adapt.stats.DomainState}: the current adaptive interval
 * K, the frames run baked since the last adaptive one, the statistics of its baked model (null before the first
 * bake) and the number of bakes. Changed only by {@link TierRule}; persisted with the domain ({@link TierStateCodec})
 * so that a replay after a crash routes and predicts every frame as the uninterrupted run did. Not thread-safe.
 */
public final class TierState {

    int k = 1;
    int sinceAdaptive;
    BakedStatistics baked;
    long bakes;

    /** A domain that has never been baked: every frame adaptive until it is stable. */
    public TierState() {
    }

    /** The current adaptive interval K (1 during a transient). */
    public int k() {
        return k;
    }

    /** Frames run baked since the last adaptive frame. */
    public int sinceAdaptive() {
        return sinceAdaptive;
    }

    /** The statistics baked into the domain's plain model, or null. */
    public BakedStatistics baked() {
        return baked;
    }

    /** Bakes since the domain's two-tier state began. */
    public long bakes() {
        return bakes;
    }

    /** Restores every field (the codec); values are checked. */
    void restore(int k, int sinceAdaptive, long bakes, BakedStatistics baked) {
        if (k < 1 || sinceAdaptive < 0 || bakes < 0 || (baked == null ? bakes != 0 : bakes == 0)) {
            throw new IllegalArgumentException("invalid two-tier state: k " + k + ", since adaptive " + sinceAdaptive
                    + ", bakes " + bakes);
        }
        this.k = k;
        this.sinceAdaptive = sinceAdaptive;
        this.bakes = bakes;
        this.baked = baked;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TierState t && t.k == k && t.sinceAdaptive == sinceAdaptive && t.bakes == bakes
                && java.util.Objects.equals(t.baked, baked);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(k, sinceAdaptive, bakes, baked);
    }
}
