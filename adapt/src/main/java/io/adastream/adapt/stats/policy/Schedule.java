package io.adastream.adapt.stats.policy;

/**
 * The per-domain position of a policy's weight schedule: the effective count {@code a} of the recursion
 * (docs/algorithms.md §11.3), the frames folded in the current segment {@code k}, and the remaining weight of the
 * source statistics ω_src = Π(1 − w).
 */
public final class Schedule {

    private double effectiveCount;
    private long step;
    private double sourceWeight = 1.0;

    /** The effective count {@code a} of the estimate. */
    public double effectiveCount() {
        return effectiveCount;
    }

    /** Frames (or schedule steps) folded since the segment started. */
    public long step() {
        return step;
    }

    /** ω_src, the weight the source statistics still hold in the estimate (a metric; 1 for a fresh domain). */
    public double sourceWeight() {
        return sourceWeight;
    }

    /** Sets the schedule position; the snapshot reader and the policies use it. */
    public void set(double effectiveCount, long step, double sourceWeight) {
        if (!(effectiveCount >= 0) || Double.isInfinite(effectiveCount)) {
            throw new IllegalArgumentException("effective count must be finite and >= 0, got " + effectiveCount);
        }
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0, got " + step);
        }
        if (!(sourceWeight >= 0 && sourceWeight <= 1)) {
            throw new IllegalArgumentException("source weight must be in [0, 1], got " + sourceWeight);
        }
        this.effectiveCount = effectiveCount;
        this.step = step;
        this.sourceWeight = sourceWeight;
    }

    void advance(double newEffectiveCount, double w) {
        effectiveCount = newEffectiveCount;
        step++;
        sourceWeight *= (1 - w);
    }

    void restart(double newEffectiveCount) {
        effectiveCount = newEffectiveCount;
        step = 0;
    }
}
