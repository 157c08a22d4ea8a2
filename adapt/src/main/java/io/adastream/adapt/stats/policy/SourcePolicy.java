package io.adastream.adapt.stats.policy;

import io.adastream.adapt.stats.VarianceMode;

import java.util.Map;

/** {@code source}: never adapts, w ≡ 0 and b ≡ 0; the domain keeps the source statistics (the baseline). */
public final class SourcePolicy implements AdaptationPolicy {

    public static final String NAME = "source";

    SourcePolicy(Map<String, String> given) {
        new PolicyParameters(NAME, given).finish();
    }

    /** The source policy (it takes no parameters). */
    public static SourcePolicy create() {
        return new SourcePolicy(Map.of());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, String> parameters() {
        return Map.of();
    }

    @Override
    public VarianceMode varianceMode() {
        return VarianceMode.MOMENT_EXACT;
    }

    @Override
    public void start(Schedule s) {
        s.set(0, 0, 1.0);
    }

    @Override
    public void restart(Schedule s) {
        s.set(s.effectiveCount(), 0, s.sourceWeight());
    }

    @Override
    public void adopt(Schedule s) {
        s.set(s.effectiveCount(), s.step(), s.sourceWeight());
    }

    @Override
    public double peekWeight(Schedule s) {
        return 0.0;
    }

    /** Counts the frame; w = 0 leaves the statistics (and ω_src) unchanged. */
    @Override
    public double advance(Schedule s) {
        s.advance(s.effectiveCount(), 0.0);
        return 0.0;
    }

    @Override
    public boolean isStatic() {
        return true;
    }

    @Override
    public double maxBlend() {
        return 0.0;
    }

    @Override
    public String toString() {
        return NAME;
    }
}
