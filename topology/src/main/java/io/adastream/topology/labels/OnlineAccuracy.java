package io.adastream.topology.labels;

import io.adastream.models.metrics.LabeledBox;
import io.adastream.models.metrics.WindowedMeanAveragePrecision;
import io.adastream.models.metrics.WindowedMeanIoU;
import io.adastream.models.task.Detection;
import io.adastream.models.task.TaskResult;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per domain, the accuracy of the adapted predictions, and of the source model's where a shadow run supplies them,
 * over the domain's last N labeled frames: mean IoU for segmentation, mAP@0.5 for detection. At most
 * {@code maxDomains} domains are scored; the least recently labeled one is forgotten beyond that. Not thread-safe.
 */
final class OnlineAccuracy {

    /** A domain's accuracy after a labeled frame: adapted, source (NaN without a shadow run) and the window's frames. */
    record Scores(double adapted, double source, int frames) {
    }

    /** Accuracy over a sliding window of labeled frames. */
    private interface Window {
        void add(TaskResult truth, TaskResult prediction);

        double value();

        int frames();
    }

    private final boolean segmentation;
    private final int classes;
    private final int frames;
    private final Map<String, Window[]> byDomain;

    /**
     * @param segmentation whether the model segments (else detects)
     * @param classes      the model's class count, background included
     * @param frames       N, the labeled frames each domain's accuracy is over
     * @param maxDomains   the most domains scored at once
     */
    OnlineAccuracy(boolean segmentation, int classes, int frames, int maxDomains) {
        this.segmentation = segmentation;
        this.classes = classes;
        this.frames = frames;
        this.byDomain = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Window[]> eldest) {
                return size() > maxDomains;
            }
        };
    }

    /** The measure's metric label: {@code miou} or {@code map50}. */
    String measure() {
        return segmentation ? "miou" : "map50";
    }

    /** Scores one labeled frame ({@code source} may be null) and returns the domain's accuracy over its window. */
    Scores add(String domain, TaskResult truth, TaskResult adapted, TaskResult source) {
        Window[] w = byDomain.computeIfAbsent(domain, d -> new Window[2]);
        if (w[0] == null) {
            w[0] = newWindow();
        }
        w[0].add(truth, adapted);
        if (source != null) {
            if (w[1] == null) {
                w[1] = newWindow();
            }
            w[1].add(truth, source);
        }
        return new Scores(w[0].value(), w[1] == null ? Double.NaN : w[1].value(), w[0].frames());
    }

    int domains() {
        return byDomain.size();
    }

    private Window newWindow() {
        return segmentation ? new MeanIoUWindow(new WindowedMeanIoU(classes, frames))
                : new MapWindow(new WindowedMeanAveragePrecision(classes - 1, frames));
    }

    private record MeanIoUWindow(WindowedMeanIoU meter) implements Window {
        @Override
        public void add(TaskResult truth, TaskResult prediction) {
            meter.add(((TaskResult.Segmentation) truth).mask(), ((TaskResult.Segmentation) prediction).mask());
        }

        @Override
        public double value() {
            return meter.meanIoU();
        }

        @Override
        public int frames() {
            return meter.frames();
        }
    }

    private record MapWindow(WindowedMeanAveragePrecision meter) implements Window {
        @Override
        public void add(TaskResult truth, TaskResult prediction) {
            List<LabeledBox> boxes = new ArrayList<>();
            for (Detection d : ((TaskResult.Detections) truth).detections()) {
                boxes.add(new LabeledBox(d.classId(), d.box()));
            }
            meter.add(boxes, ((TaskResult.Detections) prediction).detections());
        }

        @Override
        public double value() {
            return meter.map50();
        }

        @Override
        public int frames() {
            return meter.frames();
        }
    }
}
