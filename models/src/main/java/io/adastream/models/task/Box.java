package io.adastream.models.task;

/** An axis-aligned box in continuous pixel coordinates, {@code [x0, x1) x [y0, y1)}. */
public record Box(float x0, float y0, float x1, float y1) {

    /** The box of centre (cx, cy) and size w x h. */
    public static Box centred(float cx, float cy, float w, float h) {
        return new Box(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2);
    }

    public float width() {
        return Math.max(0f, x1 - x0);
    }

    public float height() {
        return Math.max(0f, y1 - y0);
    }

    public float area() {
        return width() * height();
    }

    /** Intersection over union; 0 when both are empty. */
    public float iou(Box other) {
        float iw = Math.min(x1, other.x1) - Math.max(x0, other.x0);
        float ih = Math.min(y1, other.y1) - Math.max(y0, other.y0);
        if (iw <= 0f || ih <= 0f) {
            return 0f;
        }
        float intersection = iw * ih;
        return intersection / (area() + other.area() - intersection);
    }
}
