package io.adastream.models.eval;

import io.adastream.models.metrics.DetectionAveragePrecision;
import io.adastream.models.metrics.SegmentationConfusion;
import io.adastream.models.metrics.WindowedMeanAveragePrecision;
import io.adastream.models.metrics.WindowedMeanIoU;
import io.adastream.models.spec.ModelSpec;
import io.adastream.models.task.TaskResult;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** Scores one row of a replay: the row's accuracy, each frame's own, the rolling window's, and kept predictions. */
final class RowTracker {

    private final ModelSpec spec;
    private final AccuracyMeter total;
    private final WindowedMeanIoU windowIoU;
    private final WindowedMeanAveragePrecision windowMap;
    private final int window;
    private final Set<Integer> keep;
    private final Map<Integer, TaskResult> kept = new HashMap<>();
    private double[] frame = new double[64];
    private double[] rolling = new double[64];
    private int n;

    RowTracker(ModelSpec spec, int window, Set<Integer> keep) {
        this.spec = spec;
        this.total = AccuracyMeter.forSpec(spec);
        this.window = window;
        this.keep = keep;
        this.windowIoU = spec.isSegmentation() ? new WindowedMeanIoU(spec.classes().size(), window) : null;
        this.windowMap = spec.isSegmentation() ? null : new WindowedMeanAveragePrecision(spec.outputClasses(), window);
    }

    void add(EvalFrame truth, TaskResult prediction) {
        total.add(truth, prediction);
        if (n == frame.length) {
            frame = Arrays.copyOf(frame, 2 * n);
            rolling = Arrays.copyOf(rolling, 2 * n);
        }
        if (windowIoU != null) {
            byte[] mask = ((TaskResult.Segmentation) prediction).mask();
            SegmentationConfusion own = new SegmentationConfusion(spec.classes().size());
            own.add(truth.classMask(), mask);
            frame[n] = own.meanIoU();
            windowIoU.add(truth.classMask(), mask);
            rolling[n] = windowIoU.meanIoU();
        } else {
            var detections = ((TaskResult.Detections) prediction).detections();
            DetectionAveragePrecision own = new DetectionAveragePrecision(spec.outputClasses());
            own.addFrame(truth.boxes(), detections);
            frame[n] = own.map50();
            windowMap.add(truth.boxes(), detections);
            rolling[n] = windowMap.map50();
        }
        if (keep.contains(n)) {
            kept.put(n, prediction);
        }
        n++;
    }

    double value() {
        return total.value();
    }

    RowSeries series() {
        return new RowSeries(window, Arrays.copyOf(frame, n), Arrays.copyOf(rolling, n), total.perClass(), kept);
    }
}
