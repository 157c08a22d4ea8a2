package io.adastream.client.djl;

import ai.djl.modality.cv.output.BoundingBox;
import ai.djl.modality.cv.output.CategoryMask;
import ai.djl.modality.cv.output.DetectedObjects;
import ai.djl.modality.cv.output.Rectangle;
import io.adastream.client.Result;

import java.util.ArrayList;
import java.util.List;

/**
 * Converts prediction results to DJL's output types, so that DJL's drawing and evaluation code works on the
 * service's predictions: detections to {@link DetectedObjects} (rectangles relative to the frame size, as DJL's
 * detection translators produce them) and segmentations to {@link CategoryMask} (class ids as {@code [height][width]}).
 */
public final class DjlOutputs {

    private DjlOutputs() {
    }

    /** The boxes as DJL detected objects: class name, score as probability, rectangle in [0, 1] of the frame. */
    public static DetectedObjects toDetectedObjects(Result.Detections detections) {
        double w = detections.width();
        double h = detections.height();
        List<String> names = new ArrayList<>(detections.boxes().size());
        List<Double> probabilities = new ArrayList<>(detections.boxes().size());
        List<BoundingBox> boxes = new ArrayList<>(detections.boxes().size());
        for (Result.DetectedBox b : detections.boxes()) {
            names.add(b.className());
            probabilities.add(b.score());
            boxes.add(new Rectangle(b.x0() / w, b.y0() / h, b.width() / w, b.height() / h));
        }
        return new DetectedObjects(names, probabilities, boxes);
    }

    /** The mask as a DJL category mask over the model's classes (background first). */
    public static CategoryMask toCategoryMask(Result.Segmentation segmentation) {
        return new CategoryMask(segmentation.classes(), segmentation.classGrid());
    }
}
