package io.adastream.models.eval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The order a domain's frames are streamed in: {@code temporal} (as given: file-name order, for video the order of
 * capture) or {@code dominant-class} (grouped by the class that covers most of a frame's scored pixels, or has most
 * of its boxes, then in the given order within a group): a non-i.i.d. stream whose consecutive frames share content,
 * harsher than video order, on which BatchNorm-statistics methods are known to collapse.
 */
public enum FrameOrder {
    TEMPORAL,
    DOMINANT_CLASS;

    /** {@code temporal} or {@code dominant-class}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** {@code temporal} or {@code dominant-class} (any case, '_' for '-'). */
    public static FrameOrder parse(String text) {
        for (FrameOrder o : values()) {
            if (o.id().equalsIgnoreCase(text.trim().replace('_', '-'))) {
                return o;
            }
        }
        throw new IllegalArgumentException("order must be temporal or dominant-class, got '" + text + "'");
    }

    /** The frames in this order (a new list; the frames are shared). */
    public List<EvalFrame> apply(List<EvalFrame> frames) {
        List<EvalFrame> out = new ArrayList<>(frames);
        if (this == DOMINANT_CLASS) {
            List<Integer> index = new ArrayList<>();
            for (int i = 0; i < frames.size(); i++) {
                index.add(i);
            }
            int[] dominant = frames.stream().mapToInt(FrameOrder::dominantClass).toArray();
            index.sort(Comparator.<Integer>comparingInt(i -> dominant[i]).thenComparingInt(i -> i));
            out.clear();
            index.forEach(i -> out.add(frames.get(i)));
        }
        return out;
    }

    /**
     * The class with the most scored pixels of a frame's mask (values below 255), or with the most boxes when the
     * frame has boxes; ties go to the smaller id; -1 for a frame with neither.
     */
    public static int dominantClass(EvalFrame frame) {
        long[] counts = new long[256];
        if (!frame.boxes().isEmpty()) {
            frame.boxes().forEach(b -> counts[Math.min(255, Math.max(0, b.classId()))]++);
        } else {
            for (byte v : frame.classMask()) {
                int c = v & 0xFF;
                if (c < 255) {
                    counts[c]++;
                }
            }
        }
        int best = -1;
        for (int c = 0; c < 255; c++) {
            if (counts[c] > 0 && (best < 0 || counts[c] > counts[best])) {
                best = c;
            }
        }
        return best;
    }
}
