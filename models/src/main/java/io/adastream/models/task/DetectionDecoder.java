package io.adastream.models.task;

import io.adastream.models.spec.ModelSpec;
import io.adastream.models.spec.OutputFormat;

import java.util.List;

/**
 * Reads a detector's outputs for one batch item into detections in frame pixels (through the transform that placed
 * the frame into the model input), after the score threshold, NMS and the detection cap of the spec.
 */
public interface DetectionDecoder {

    /** Detections of batch item {@code index}. */
    List<Detection> decode(ModelOutputs outputs, int index, LetterboxTransform transform);

    /** The decoder a detector's spec names. */
    static DetectionDecoder forSpec(ModelSpec spec) {
        ModelSpec.Output out = spec.output();
        ModelSpec.DetectionSettings d = spec.detection();
        OutputFormat format = out.outputFormat(spec.task());
        DetectionThresholds thresholds = new DetectionThresholds(d.scoreThreshold(), d.iouThreshold(), d.maxDetections());
        BoxCoding boxes = new BoxCoding(out.cornerBoxes(format), out.normalizedBoxes(format));
        ScoreActivation activation = ScoreActivation.byName(out.activation());
        int classes = spec.outputClasses();
        return switch (format) {
            case GRID -> new GridDetectionDecoder(out.name(), classes, spec.input().width(), spec.input().height(),
                    out.gridForm(), thresholds);
            case YOLOV5 -> YoloDetectionDecoder.v5(out.name(), classes, boxes, activation, thresholds);
            case YOLOV8 -> YoloDetectionDecoder.v8(out.name(), classes, boxes, activation, thresholds);
            case SSD -> new SsdDetectionDecoder(out.boxes(), out.scores(), classes, boxes, activation, thresholds,
                    out.priors() == null ? null : PriorBoxes.generate(out.priors(), spec.input().width(), spec.input().height()));
            case NMS_INCLUDED -> out.split()
                    ? NmsIncludedDecoder.split(out.boxes(), out.scores(), out.classIds(), out.count(), classes,
                    out.classIdOffset(), boxes, thresholds)
                    : NmsIncludedDecoder.packed(out.name(), classes, out.classIdOffset(), boxes, thresholds);
            case LOGITS, CLASS_IDS -> throw new IllegalArgumentException(format.specName() + " is a segmentation format");
        };
    }
}
