package io.adastream.models.data;

import java.util.Locale;

/**
 * How a labelled folder pairs images with their labels: {@code camvid} (a class-id mask PNG of the same name in the
 * sibling folder {@code <images>annot}, SegNet-Tutorial style) or {@code yolo} (a text file of the same name in a
 * labels folder, a line {@code class cx cy w h} per box, normalised to the image).
 */
public enum LabelLayout {
    /** Image + one-channel 8-bit class-id PNG mask of the same size. */
    CAMVID,
    /** Image + YOLO text boxes (class ids from 0). */
    YOLO;

    /** The name on the command line. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code camvid} or {@code yolo} (any case). */
    public static LabelLayout parse(String text) {
        for (LabelLayout l : values()) {
            if (l.id().equalsIgnoreCase(text.trim())) {
                return l;
            }
        }
        throw new IllegalArgumentException("layout must be camvid or yolo, got '" + text + "'");
    }
}
