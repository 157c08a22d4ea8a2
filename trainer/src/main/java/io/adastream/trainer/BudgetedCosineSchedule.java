package io.adastream.trainer;

import ai.djl.training.tracker.Tracker;

/**
 * A cosine learning-rate decay from a base to a final value over a number of updates that can be shortened once
 * training has started: when the first epoch shows that the planned epochs do not fit the time budget (a shared
 * machine), {@link TrainingLoop} plans fewer epochs and the schedule still ends at its final value.
 */
final class BudgetedCosineSchedule implements Tracker {
    private final float base;
    private final float last;
    private volatile int totalUpdates;

    BudgetedCosineSchedule(float base, float last, int totalUpdates) {
        this.base = base;
        this.last = last;
        setTotalUpdates(totalUpdates);
    }

    void setTotalUpdates(int totalUpdates) {
        this.totalUpdates = Math.max(1, totalUpdates);
    }

    @Override
    public float getNewValue(int numUpdate) {
        double progress = Math.min(1.0, (double) numUpdate / totalUpdates);
        return (float) (last + (base - last) * 0.5 * (1 + Math.cos(Math.PI * progress)));
    }
}
