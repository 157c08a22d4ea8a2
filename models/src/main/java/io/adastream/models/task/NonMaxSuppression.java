package io.adastream.models.task;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Greedy per-class non-maximum suppression. */
public final class NonMaxSuppression {
    private NonMaxSuppression() {
    }

    /**
     * Keeps, per class, the highest-scoring detections whose IoU with every kept detection of the same class is at
     * most {@code iouThreshold}; returns at most {@code maxDetections}, by decreasing score.
     */
    public static List<Detection> perClass(List<Detection> detections, float iouThreshold, int maxDetections) {
        List<Detection> sorted = new ArrayList<>(detections);
        sorted.sort(Comparator.comparingDouble(Detection::score).reversed());
        List<Detection> kept = new ArrayList<>();
        for (Detection candidate : sorted) {
            if (kept.size() >= maxDetections) {
                break;
            }
            boolean suppressed = false;
            for (Detection k : kept) {
                if (k.classId() == candidate.classId() && k.box().iou(candidate.box()) > iouThreshold) {
                    suppressed = true;
                    break;
                }
            }
            if (!suppressed) {
                kept.add(candidate);
            }
        }
        return kept;
    }
}
