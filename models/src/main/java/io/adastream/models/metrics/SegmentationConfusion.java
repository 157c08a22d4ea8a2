package io.adastream.models.metrics;

/**
 * A class confusion matrix (rows = ground truth, columns = prediction, longs) accumulated over frames, and the
 * IoU per class and mean IoU derived from it. Pixels whose ground truth is outside 0..C-1 (e.g. 255 = ignore) are
 * skipped. Not thread-safe.
 */
public final class SegmentationConfusion {
    private final int classes;
    private final long[] counts;

    public SegmentationConfusion(int classes) {
        if (classes < 1 || classes > 255) {
            throw new IllegalArgumentException("classes must be 1..255: " + classes);
        }
        this.classes = classes;
        this.counts = new long[classes * classes];
    }

    /** Adds one frame's masks (same length). Predictions outside 0..C-1 are rejected. */
    public void add(byte[] groundTruth, byte[] prediction) {
        if (groundTruth.length != prediction.length) {
            throw new IllegalArgumentException("mask lengths differ: " + groundTruth.length + " vs " + prediction.length);
        }
        for (int i = 0; i < groundTruth.length; i++) {
            int gt = groundTruth[i] & 0xFF;
            if (gt >= classes) {
                continue;
            }
            int pred = prediction[i] & 0xFF;
            if (pred >= classes) {
                throw new IllegalArgumentException("predicted class " + pred + " outside 0.." + (classes - 1));
            }
            counts[gt * classes + pred]++;
        }
    }

    public long count(int groundTruthClass, int predictedClass) {
        return counts[groundTruthClass * classes + predictedClass];
    }

    /** TP / (TP + FP + FN) of one class; NaN when the class is in neither ground truth nor prediction. */
    public double iou(int classId) {
        long tp = count(classId, classId);
        long gt = 0;
        long pred = 0;
        for (int k = 0; k < classes; k++) {
            gt += count(classId, k);
            pred += count(k, classId);
        }
        long union = gt + pred - tp;
        return union == 0 ? Double.NaN : (double) tp / union;
    }

    /** Mean of the per-class IoUs over the classes present in ground truth or prediction; NaN if none. */
    public double meanIoU() {
        return meanOfPresent(classes, this::iou);
    }

    /** The mean of the non-NaN values of {@code iou} over classes 0..C-1; NaN if all are NaN. */
    static double meanOfPresent(int classes, java.util.function.IntToDoubleFunction iou) {
        double sum = 0;
        int present = 0;
        for (int c = 0; c < classes; c++) {
            double v = iou.applyAsDouble(c);
            if (!Double.isNaN(v)) {
                sum += v;
                present++;
            }
        }
        return present == 0 ? Double.NaN : sum / present;
    }

    /** Fraction of counted pixels predicted correctly; NaN if none counted. */
    public double pixelAccuracy() {
        long correct = 0;
        long total = 0;
        for (int g = 0; g < classes; g++) {
            for (int p = 0; p < classes; p++) {
                total += count(g, p);
            }
            correct += count(g, g);
        }
        return total == 0 ? Double.NaN : (double) correct / total;
    }

    public int classes() {
        return classes;
    }
}
