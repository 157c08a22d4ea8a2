package io.adastream.models.spec;

import java.util.Arrays;
import java.util.List;

/** The model output formats the service decodes; a spec names one in {@code output.decoder}. */
public enum OutputFormat {
    /** Detection, one box per grid cell: [N, 5+K, Gh, Gw] (the demo detector, FastestDet). */
    GRID("grid", false),
    /** Detection, [N, A, 5+K]: cx, cy, w, h, objectness, K class scores per anchor row (YOLOv5, YOLOv7). */
    YOLOV5("yolov5", false),
    /** Detection, [N, 4+K, A]: cx, cy, w, h, K class scores per anchor column, no objectness (YOLOv8, YOLO11). */
    YOLOV8("yolov8", false),
    /** Detection, boxes [N, A, 4] and scores [N, A, K] or [N, A, 1+K] with background first (SSD, UltraFace). */
    SSD("ssd", false),
    /** Detection, NMS done inside the model: [N, D, 6] (x1, y1, x2, y2, score, class) or three tensors. */
    NMS_INCLUDED("nms-included", false),
    /** Segmentation, class logits [N, K, h, w] at any resolution. */
    LOGITS("logits", true),
    /** Segmentation, class ids [N, H, W] or [N, 1, H, W] (argmax inside the model). */
    CLASS_IDS("class-ids", true);

    private final String specName;
    private final boolean segmentation;

    OutputFormat(String specName, boolean segmentation) {
        this.specName = specName;
        this.segmentation = segmentation;
    }

    public String specName() {
        return specName;
    }

    /** Whether this is a segmentation format (else detection). */
    public boolean segmentation() {
        return segmentation;
    }

    /** The format of a spec name; throws IllegalArgumentException for an unknown one. */
    public static OutputFormat byName(String name) {
        for (OutputFormat f : values()) {
            if (f.specName.equals(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown output format '" + name + "'; known: " + names());
    }

    static boolean known(String name) {
        return Arrays.stream(values()).anyMatch(f -> f.specName.equals(name));
    }

    /** All spec names. */
    public static List<String> names() {
        return Arrays.stream(values()).map(OutputFormat::specName).toList();
    }

    /** The spec names of one task's formats. */
    public static List<String> names(boolean segmentation) {
        return Arrays.stream(values()).filter(f -> f.segmentation == segmentation).map(OutputFormat::specName).toList();
    }
}
