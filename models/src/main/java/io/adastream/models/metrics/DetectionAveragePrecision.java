package io.adastream.models.metrics;

import io.adastream.models.task.Detection;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * COCO-style average precision over frames: per class, all detections sorted by score (ties: earlier frame, then
 * input order), each greedily matched to the unmatched ground truth of its class in its frame with the highest
 * IoU ≥ t; AP is the mean over the 101 recall points 0, 0.01, ..., 1 of the interpolated precision (the maximum
 * precision at any recall ≥ r, 0 past the last reached recall). mAP averages over the classes with ground truth.
 * Unlike pycocotools there are no area ranges, crowd regions or per-image detection caps.
 */
public final class DetectionAveragePrecision {
    private static final int RECALL_POINTS = 101;

    private final int classes;
    private final List<List<LabeledBox>> truths = new ArrayList<>();
    private final List<List<Detection>> predictions = new ArrayList<>();

    /** @param classes K, the foreground class ids being 1..K */
    public DetectionAveragePrecision(int classes) {
        this.classes = classes;
    }

    public void addFrame(List<LabeledBox> groundTruth, List<Detection> detections) {
        truths.add(List.copyOf(groundTruth));
        predictions.add(List.copyOf(detections));
    }

    /** AP of one class at one IoU threshold; NaN when the class has no ground truth. */
    public double averagePrecision(int classId, double iouThreshold) {
        int totalTruth = 0;
        List<Scored> scored = new ArrayList<>();
        for (int f = 0; f < truths.size(); f++) {
            for (LabeledBox t : truths.get(f)) {
                if (t.classId() == classId) {
                    totalTruth++;
                }
            }
            List<Detection> frame = predictions.get(f);
            for (int i = 0; i < frame.size(); i++) {
                if (frame.get(i).classId() == classId) {
                    scored.add(new Scored(frame.get(i), f, i));
                }
            }
        }
        if (totalTruth == 0) {
            return Double.NaN;
        }
        scored.sort(Comparator.comparingDouble((Scored s) -> -s.detection.score())
                .thenComparingInt(s -> s.frame).thenComparingInt(s -> s.order));
        boolean[][] matched = new boolean[truths.size()][];
        for (int f = 0; f < truths.size(); f++) {
            matched[f] = new boolean[truths.get(f).size()];
        }
        double[] precision = new double[scored.size()];
        double[] recall = new double[scored.size()];
        int tp = 0;
        for (int i = 0; i < scored.size(); i++) {
            Scored s = scored.get(i);
            List<LabeledBox> frameTruth = truths.get(s.frame);
            int best = -1;
            double bestIou = iouThreshold;
            for (int g = 0; g < frameTruth.size(); g++) {
                if (matched[s.frame][g] || frameTruth.get(g).classId() != classId) {
                    continue;
                }
                double iou = frameTruth.get(g).box().iou(s.detection.box());
                if (iou >= bestIou) {
                    bestIou = iou;
                    best = g;
                }
            }
            if (best >= 0) {
                matched[s.frame][best] = true;
                tp++;
            }
            precision[i] = (double) tp / (i + 1);
            recall[i] = (double) tp / totalTruth;
        }
        for (int i = precision.length - 2; i >= 0; i--) {
            precision[i] = Math.max(precision[i], precision[i + 1]);
        }
        double sum = 0;
        int k = 0;
        for (int r = 0; r < RECALL_POINTS; r++) {
            double level = r / (double) (RECALL_POINTS - 1);
            while (k < recall.length && recall[k] < level - 1e-12) {
                k++;
            }
            if (k < recall.length) {
                sum += precision[k];
            }
        }
        return sum / RECALL_POINTS;
    }

    /** Mean AP over the classes with ground truth at one IoU threshold; NaN when there is no ground truth. */
    public double meanAveragePrecision(double iouThreshold) {
        double sum = 0;
        int n = 0;
        for (int c = 1; c <= classes; c++) {
            double ap = averagePrecision(c, iouThreshold);
            if (!Double.isNaN(ap)) {
                sum += ap;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** mAP@0.5. */
    public double map50() {
        return meanAveragePrecision(0.5);
    }

    /** mAP@[.5:.95]: the mean of mAP at IoU 0.50, 0.55, ..., 0.95. */
    public double map50to95() {
        double sum = 0;
        for (int i = 0; i < 10; i++) {
            sum += meanAveragePrecision(0.5 + 0.05 * i);
        }
        return sum / 10;
    }

    private record Scored(Detection detection, int frame, int order) {
    }
}
