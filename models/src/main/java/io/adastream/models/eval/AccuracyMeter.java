package io.adastream.models.eval;

import io.adastream.models.metrics.DetectionAveragePrecision;
import io.adastream.models.metrics.SegmentationConfusion;
import io.adastream.models.spec.ModelSpec;
import io.adastream.models.task.TaskResult;

/**
 * Accumulates one accuracy number over scored frames: mIoU for a segmenter, mAP@0.5 for a detector. A fresh meter
 * per table cell; frames are added as the stream goes.
 */
public sealed interface AccuracyMeter permits AccuracyMeter.MeanIoU, AccuracyMeter.Map50 {

    /** Scores one prediction against its frame's ground truth. */
    void add(EvalFrame truth, TaskResult prediction);

    /** The accuracy so far, in [0, 1]; NaN before any frame. */
    double value();

    /** Frames scored so far. */
    long frames();

    /** The metric's name for table headers. */
    String metric();

    /**
     * The accuracy per class so far (IoU per class id for a segmenter, AP@0.5 per foreground class for a detector,
     * index 0 being class 1), NaN for a class in neither truth nor prediction (segmenter) or without ground truth.
     */
    double[] perClass();

    /** A fresh meter for a model's task. */
    static AccuracyMeter forSpec(ModelSpec spec) {
        return spec.isSegmentation() ? new MeanIoU(spec.classes().size()) : new Map50(spec.outputClasses());
    }

    /** Mean intersection over union over the classes present in truth or prediction. */
    final class MeanIoU implements AccuracyMeter {
        private final SegmentationConfusion confusion;
        private long frames;

        public MeanIoU(int classes) {
            this.confusion = new SegmentationConfusion(classes);
        }

        @Override
        public void add(EvalFrame truth, TaskResult prediction) {
            confusion.add(truth.classMask(), ((TaskResult.Segmentation) prediction).mask());
            frames++;
        }

        @Override
        public double value() {
            return frames == 0 ? Double.NaN : confusion.meanIoU();
        }

        @Override
        public long frames() {
            return frames;
        }

        @Override
        public String metric() {
            return "mIoU";
        }

        @Override
        public double[] perClass() {
            double[] v = new double[confusion.classes()];
            for (int c = 0; c < v.length; c++) {
                v[c] = confusion.iou(c);
            }
            return v;
        }
    }

    /** COCO-style mAP at IoU 0.5 over all frames added. */
    final class Map50 implements AccuracyMeter {
        private final DetectionAveragePrecision ap;
        private final int classes;
        private long frames;

        public Map50(int foregroundClasses) {
            this.ap = new DetectionAveragePrecision(foregroundClasses);
            this.classes = foregroundClasses;
        }

        @Override
        public double[] perClass() {
            double[] v = new double[classes];
            for (int c = 0; c < classes; c++) {
                v[c] = ap.averagePrecision(c + 1, 0.5);
            }
            return v;
        }

        @Override
        public void add(EvalFrame truth, TaskResult prediction) {
            ap.addFrame(truth.boxes(), ((TaskResult.Detections) prediction).detections());
            frames++;
        }

        @Override
        public double value() {
            return frames == 0 ? Double.NaN : ap.map50();
        }

        @Override
        public long frames() {
            return frames;
        }

        @Override
        public String metric() {
            return "mAP@0.5";
        }
    }
}
