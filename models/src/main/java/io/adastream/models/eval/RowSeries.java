package io.adastream.models.eval;

import io.adastream.models.task.TaskResult;

import java.util.Map;

/**
 * One row of a replay along the stream: each frame's own accuracy (mIoU or mAP@0.5 of that frame alone, NaN when it
 * has nothing to score) and the accuracy over the last {@code window} frames up to it, in stream order; the
 * accuracy per class over the row ({@link AccuracyMeter#perClass()}); and the predictions of the frames asked to be
 * kept, by their position in the row (for pictures of input, prediction and ground truth).
 */
public record RowSeries(int window, double[] frameAccuracy, double[] rollingAccuracy, double[] perClass,
                        Map<Integer, TaskResult> kept) {
    public RowSeries {
        kept = Map.copyOf(kept);
    }
}
