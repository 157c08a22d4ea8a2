package io.adastream.adapt.stats.policy;

/**
 * The unified recursion of docs/algorithms.md §11.3 behind {@code adabn}, {@code source-prior}, {@code prior-decay} and
 * {@code balanced}: per frame a ← 1 + c·a, w ← max(1/a, w_min), with a = a0 at the segment start and
 * a = N_restart after a confirmed shift. {@code a} is the effective (discounted) count of frames behind the estimate.
 */
abstract class RecursionPolicy extends ConfiguredPolicy {

    private final double initialCount;
    private final double decay;
    private final double minWeight;
    private final double restartCount;

    /**
     * @param name         the policy's registry name
     * @param initialCount a0, the effective count at a segment start (the source prior in frames)
     * @param decay        c ∈ (0, 1], the per-frame discount of the count
     * @param minWeight    w_min, the weight floor (memory ≈ 1/w_min frames)
     * @param restartCount a after a confirmed shift (NaN: restart at a0)
     */
    RecursionPolicy(String name, double initialCount, double decay, double minWeight, double restartCount,
                    PolicyParameters params) {
        super(name, params);
        this.initialCount = initialCount;
        this.decay = decay;
        this.minWeight = minWeight;
        this.restartCount = Double.isNaN(restartCount) ? initialCount : restartCount;
    }

    /** One step of the count: a ← 1 + c·a. */
    static double nextCount(double a, double c) {
        return 1.0 + c * a;
    }

    /** The weight of a frame given the count after it: w = max(1/a, w_min). */
    static double weight(double a, double wMin) {
        return Math.max(1.0 / a, wMin);
    }

    @Override
    public double peekWeight(Schedule s) {
        return weight(nextCount(s.effectiveCount(), decay), minWeight);
    }

    @Override
    public double advance(Schedule s) {
        double a = nextCount(s.effectiveCount(), decay);
        double w = weight(a, minWeight);
        s.advance(a, w);
        return w;
    }

    @Override
    public void start(Schedule s) {
        s.set(initialCount, 0, 1.0);
    }

    @Override
    public void restart(Schedule s) {
        s.restart(restartCount);
    }

    /**
     * Re-derives the count from the source weight: with c = 1 and no floor ω_src = a0/a, so a = a0/ω_src keeps the
     * source's remaining share. Without a prior (a0 = 0, AdaBN) the count is the frames already in the segment.
     */
    @Override
    public void adopt(Schedule s) {
        double omega = s.sourceWeight();
        double a;
        if (initialCount == 0.0) {
            a = s.step();
        } else if (omega > 0) {
            a = Math.min(initialCount / omega, 1e12);
        } else {
            a = Math.max(initialCount, s.step());
        }
        s.set(a, s.step(), omega);
    }

    double initialCount() {
        return initialCount;
    }

    double decay() {
        return decay;
    }

    double minWeight() {
        return minWeight;
    }
}
