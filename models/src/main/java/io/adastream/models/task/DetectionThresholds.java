package io.adastream.models.task;

import java.util.List;

/** A detector's post-processing: score threshold, per-class NMS IoU and the most detections per frame. */
public record DetectionThresholds(float score, float iou, int maxDetections) {

    public DetectionThresholds {
        if (!(score >= 0f && score < 1f) || !(iou > 0f && iou <= 1f) || maxDetections < 1) {
            throw new IllegalArgumentException("detection thresholds out of range: score " + score + ", iou " + iou
                    + ", max " + maxDetections);
        }
    }

    /** Per-class NMS of the candidates, at most {@link #maxDetections}. */
    public List<Detection> suppress(List<Detection> candidates) {
        return NonMaxSuppression.perClass(candidates, iou, maxDetections);
    }
}
