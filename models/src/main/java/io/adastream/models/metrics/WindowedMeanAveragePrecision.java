package io.adastream.models.metrics;

import io.adastream.models.task.Detection;

import java.util.ArrayDeque;
import java.util.List;

/**
 * mAP@0.5 over the last N frames ({@link DetectionAveragePrecision} on the frames of a sliding window): the ground
 * truth and detections of each frame are kept until N newer frames have arrived. Not thread-safe.
 */
public final class WindowedMeanAveragePrecision {

    private record Frame(List<LabeledBox> truth, List<Detection> detections) {
    }

    private final int classes;
    private final int window;
    private final ArrayDeque<Frame> frames = new ArrayDeque<>();

    /** @param classes K, the foreground class ids being 1..K; @param window N, the frames the mAP is over */
    public WindowedMeanAveragePrecision(int classes, int window) {
        if (window < 1) {
            throw new IllegalArgumentException("window must be at least 1 frame: " + window);
        }
        this.classes = classes;
        this.window = window;
    }

    public void add(List<LabeledBox> truth, List<Detection> detections) {
        if (frames.size() == window) {
            frames.removeFirst();
        }
        frames.addLast(new Frame(List.copyOf(truth), List.copyOf(detections)));
    }

    /** mAP@0.5 of the window (COCO 101-point interpolation); NaN when no frame of the window has ground truth. */
    public double map50() {
        DetectionAveragePrecision ap = new DetectionAveragePrecision(classes);
        for (Frame f : frames) {
            ap.addFrame(f.truth(), f.detections());
        }
        return ap.map50();
    }

    /** Frames in the window (at most N). */
    public int frames() {
        return frames.size();
    }
}
