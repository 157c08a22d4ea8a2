package io.adastream.client;

import java.util.List;
import java.util.Map;

/** A prediction's result, in the frame's own pixels: a segmentation mask or a list of detected boxes. */
public sealed interface Result permits Result.Segmentation, Result.Detections {

    /** The frame's width in pixels. */
    int width();

    /** The frame's height in pixels. */
    int height();

    /**
     * A segmentation: the model's class names (background first) and, for every class present except the
     * background, its mask as a COCO run-length encoding. Pixels no mask covers are background (class 0).
     */
    record Segmentation(int width, int height, List<String> classes, Map<String, RunLengthMask> masks)
            implements Result {

        public Segmentation {
            classes = List.copyOf(classes);
            masks = Map.copyOf(masks);
        }

        /** The class id of every pixel, row-major ({@code y * width + x}); 0 is the background. */
        public int[] classIds() {
            int[] ids = new int[width * height];
            for (Map.Entry<String, RunLengthMask> e : masks.entrySet()) {
                e.getValue().paint(ids, classes.indexOf(e.getKey()));
            }
            return ids;
        }

        /** The class id of every pixel as {@code [height][width]}, the layout of DJL's {@code CategoryMask}. */
        public int[][] classGrid() {
            int[] ids = classIds();
            int[][] grid = new int[height][width];
            for (int y = 0; y < height; y++) {
                System.arraycopy(ids, y * width, grid[y], 0, width);
            }
            return grid;
        }

        /** Pixels of the named class (0 when the class is not present). */
        public long area(String className) {
            RunLengthMask mask = masks.get(className);
            return mask == null ? 0 : mask.area();
        }
    }

    /** A detection result: boxes after the score threshold and per-class NMS. */
    record Detections(int width, int height, List<DetectedBox> boxes) implements Result {
        public Detections {
            boxes = List.copyOf(boxes);
        }
    }

    /** One detected object: its class (name and id, 0 being the background), score in [0, 1] and box in pixels. */
    record DetectedBox(String className, int classId, double score, double x0, double y0, double x1, double y1) {

        public double width() {
            return x1 - x0;
        }

        public double height() {
            return y1 - y0;
        }
    }
}
