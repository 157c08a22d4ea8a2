package io.adastream.models.eval;

import io.adastream.adapt.inference.AdaptationMode;

/**
 * The accuracy of one replay along its stream: {@code values[i]} is the metric (in [0, 1]) over the frames
 * {@code max(0, i - window + 1) .. i} as they were predicted, NaN where that window has nothing to score.
 */
public record AccuracyTrace(String policy, int batch, AdaptationMode mode, int window, double[] values) {

    public AccuracyTrace {
        values = values.clone();
    }

    /** A copy of the per-frame values. */
    @Override
    public double[] values() {
        return values.clone();
    }

    /** The value after frame {@code index}. */
    public double value(int index) {
        return values[index];
    }

    /** Frames traced. */
    public int frames() {
        return values.length;
    }
}
