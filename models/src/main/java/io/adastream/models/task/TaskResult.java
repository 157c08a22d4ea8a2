package io.adastream.models.task;

import java.util.List;
import java.util.Map;

/** What a model predicted for one frame, in the frame's own pixel coordinates. */
public sealed interface TaskResult permits TaskResult.Segmentation, TaskResult.Detections {

    /** The frame's width in pixels. */
    int width();

    /** The frame's height in pixels. */
    int height();

    /** A class per pixel of the input image (0 = background), row-major. */
    record Segmentation(int width, int height, byte[] mask) implements TaskResult {
        /** COCO-style run-length encoding of each class present. */
        public Map<Integer, Rle> runLengths() {
            return RunLengthEncoding.encodeAll(mask, width, height);
        }
    }

    /** Boxes in input-image pixels, after score threshold and per-class NMS. */
    record Detections(int width, int height, List<Detection> detections) implements TaskResult {
    }
}
