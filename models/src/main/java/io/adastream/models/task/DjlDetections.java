package io.adastream.models.task;

import ai.djl.modality.cv.output.BoundingBox;
import ai.djl.modality.cv.output.DetectedObjects;
import ai.djl.modality.cv.output.Rectangle;

import java.util.ArrayList;
import java.util.List;

/** Converts {@link Detection}s to DJL's {@link DetectedObjects}, whose rectangles are relative to the image size. */
public final class DjlDetections {
    private DjlDetections() {
    }

    /**
     * @param classNames names indexed by class id (index 0 = background), e.g. {@code SceneClasses.NAMES}
     */
    public static DetectedObjects toDetectedObjects(List<Detection> detections, List<String> classNames,
                                                    int imageWidth, int imageHeight) {
        List<String> names = new ArrayList<>(detections.size());
        List<Double> probabilities = new ArrayList<>(detections.size());
        List<BoundingBox> boxes = new ArrayList<>(detections.size());
        for (Detection d : detections) {
            names.add(classNames.get(d.classId()));
            probabilities.add((double) d.score());
            Box b = d.box();
            boxes.add(new Rectangle((double) b.x0() / imageWidth, (double) b.y0() / imageHeight,
                    (double) b.width() / imageWidth, (double) b.height() / imageHeight));
        }
        return new DetectedObjects(names, probabilities, boxes);
    }
}
