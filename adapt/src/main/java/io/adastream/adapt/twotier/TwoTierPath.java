package io.adastream.adapt.twotier;

import ai.onnxruntime.OrtException;
import io.adastream.adapt.session.Workspace;
import io.adastream.adapt.stats.DomainState;
import io.adastream.adapt.stats.FrameOutcome;

/**
 * The two-tier path of one inference thread: the {@link TierRule} and the {@link BakedSessionCache}. For each frame:
 * {@link #next} routes and records it; a baked frame is written into a workspace and {@link #runBaked} (its outputs
 * then read from the workspace as after an adaptive run); an adaptive frame runs as before and then goes to
 * {@link #afterAdaptive}.
 */
public final class TwoTierPath implements AutoCloseable {

    private final TierRule rule;
    private final BakedSessionCache cache;

    public TwoTierPath(TierRule rule, BakedSessionCache cache) {
        this.rule = rule;
        this.cache = cache;
    }

    public TierRule rule() {
        return rule;
    }

    public BakedSessionCache cache() {
        return cache;
    }

    /** Routes the domain's next frame and records it ({@link TierRule#next}). */
    public InferencePath next(DomainState state, TierState tier) {
        return rule.next(state, tier);
    }

    /**
     * Runs the workspace's frames, all of the domain of {@code tier} and routed baked, through its baked session
     * (baked and opened now on a cache miss).
     */
    public void runBaked(Workspace workspace, TierState tier) throws OrtException {
        if (tier.baked() == null) {
            throw new IllegalStateException("the domain has no baked model; route the frame adaptive");
        }
        cache.session(tier.baked()).run(workspace);
    }

    /** After an adaptive frame was folded: K and the bake move on (see {@link TierRule#afterAdaptive}). */
    public boolean afterAdaptive(DomainState state, TierState tier, FrameOutcome outcome) {
        return rule.afterAdaptive(state, tier, outcome);
    }

    @Override
    public void close() throws OrtException {
        cache.close();
    }
}
