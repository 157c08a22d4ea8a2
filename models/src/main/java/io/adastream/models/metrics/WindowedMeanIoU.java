package io.adastream.models.metrics;

/**
 * Mean IoU over the last N frames: per frame and class, the true-positive, ground-truth and predicted pixel counts,
 * summed over a sliding window, so the mean IoU of the window is exact and costs O(classes) per frame to update.
 * Pixels whose ground truth is outside 0..C-1 (e.g. 255 = ignore) are skipped, as in {@link SegmentationConfusion}.
 * Memory: 12 bytes per class and frame of the window. Not thread-safe.
 */
public final class WindowedMeanIoU {

    private final int classes;
    /** Ring of per-frame counts: [frame][class] tp, then [frame][classes + class] gt, [frame][2 classes + class] pred. */
    private final int[][] frames;
    private final long[] sums;
    private int next;
    private int size;

    /** @param classes C, including background; @param window N, the frames the mean is over */
    public WindowedMeanIoU(int classes, int window) {
        if (classes < 1 || classes > 255) {
            throw new IllegalArgumentException("classes must be 1..255: " + classes);
        }
        if (window < 1) {
            throw new IllegalArgumentException("window must be at least 1 frame: " + window);
        }
        this.classes = classes;
        this.frames = new int[window][];
        this.sums = new long[3 * classes];
    }

    /** Adds one frame's masks (same length), dropping the oldest frame once the window is full. */
    public void add(byte[] truth, byte[] prediction) {
        if (truth.length != prediction.length) {
            throw new IllegalArgumentException("mask lengths differ: " + truth.length + " vs " + prediction.length);
        }
        int[] counts = frames[next];
        if (counts == null) {
            counts = new int[3 * classes];
            frames[next] = counts;
        } else {
            for (int i = 0; i < counts.length; i++) {
                sums[i] -= counts[i];
                counts[i] = 0;
            }
        }
        for (int i = 0; i < truth.length; i++) {
            int gt = truth[i] & 0xFF;
            if (gt >= classes) {
                continue;
            }
            int pred = prediction[i] & 0xFF;
            if (pred >= classes) {
                throw new IllegalArgumentException("predicted class " + pred + " outside 0.." + (classes - 1));
            }
            counts[classes + gt]++;
            counts[2 * classes + pred]++;
            if (gt == pred) {
                counts[gt]++;
            }
        }
        for (int i = 0; i < counts.length; i++) {
            sums[i] += counts[i];
        }
        next = (next + 1) % frames.length;
        size = Math.min(size + 1, frames.length);
    }

    /** TP / (TP + FP + FN) of one class over the window; NaN when the class is in neither truth nor prediction. */
    public double iou(int classId) {
        long tp = sums[classId];
        long union = sums[classes + classId] + sums[2 * classes + classId] - tp;
        return union == 0 ? Double.NaN : (double) tp / union;
    }

    /** Mean of the per-class IoUs over the classes present in the window; NaN before the first frame. */
    public double meanIoU() {
        return SegmentationConfusion.meanOfPresent(classes, this::iou);
    }

    /** Frames in the window (at most N). */
    public int frames() {
        return size;
    }
}
