package io.adastream.models.calibration;

import io.adastream.models.task.Box;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * UltraFace's outputs as the authors read them: {@code scores} [1, A, 2] (background, face) and {@code boxes}
 * [1, A, 4] corner form normalised to [0, 1]; faces above 0.7, greedy NMS at IoU 0.3.
 */
final class FaceBoxes {

    static final float SCORE_THRESHOLD = 0.7f;
    static final float NMS_IOU = 0.3f;

    /** A detected face in normalised coordinates. */
    record Face(Box box, float score) {
    }

    private FaceBoxes() {
    }

    /** Centre-form priors (cx, cy, w, h) of UltraFace at 320x240, in the authors' order (generate_priors). */
    static final float[] PRIORS_320 = priors(320, 240);

    private static float[] priors(int width, int height) {
        int[] strides = {8, 16, 32, 64};
        int[][] minBoxes = {{10, 16, 24}, {32, 48}, {64, 96}, {128, 192, 256}};
        List<float[]> out = new ArrayList<>();
        for (int k = 0; k < strides.length; k++) {
            // the exported files divide by the feature-map size (ceil(240 / 32) = 8), not by 240 / 32 = 7.5
            int fw = (int) Math.ceil((double) width / strides[k]);
            int fh = (int) Math.ceil((double) height / strides[k]);
            double scaleW = fw;
            double scaleH = fh;
            for (int j = 0; j < fh; j++) {
                for (int i = 0; i < fw; i++) {
                    for (int m : minBoxes[k]) {
                        out.add(new float[]{clip((i + 0.5) / scaleW), clip((j + 0.5) / scaleH),
                                clip((double) m / width), clip((double) m / height)});
                    }
                }
            }
        }
        float[] flat = new float[out.size() * 4];
        for (int a = 0; a < out.size(); a++) {
            System.arraycopy(out.get(a), 0, flat, 4 * a, 4);
        }
        return flat;
    }

    private static float clip(double v) {
        return (float) Math.min(1, Math.max(0, v));
    }

    /**
     * Raw locations (the {@code _simplified} files' {@code boxes}: offsets to the priors, centre variance 0.1, size
     * variance 0.2) as corner-form boxes normalised to [0, 1], the form of the BN-kept files' {@code boxes}.
     */
    static float[] cornersFromLocations(float[] locations) {
        float[] p = PRIORS_320;
        if (locations.length != p.length) {
            throw new IllegalArgumentException("expected " + p.length / 4 + " anchors, got " + locations.length / 4);
        }
        float[] out = new float[locations.length];
        for (int a = 0; a < locations.length; a += 4) {
            float cx = locations[a] * 0.1f * p[a + 2] + p[a];
            float cy = locations[a + 1] * 0.1f * p[a + 3] + p[a + 1];
            float w = (float) Math.exp(locations[a + 2] * 0.2f) * p[a + 2];
            float h = (float) Math.exp(locations[a + 3] * 0.2f) * p[a + 3];
            out[a] = cx - w / 2;
            out[a + 1] = cy - h / 2;
            out[a + 2] = cx + w / 2;
            out[a + 3] = cy + h / 2;
        }
        return out;
    }

    static List<Face> decode(float[] scores, float[] boxes) {
        int anchors = scores.length / 2;
        List<Face> candidates = new ArrayList<>();
        for (int a = 0; a < anchors; a++) {
            float s = scores[2 * a + 1];
            if (s > SCORE_THRESHOLD) {
                candidates.add(new Face(new Box(boxes[4 * a], boxes[4 * a + 1], boxes[4 * a + 2], boxes[4 * a + 3]), s));
            }
        }
        candidates.sort(Comparator.comparingDouble(Face::score).reversed());
        List<Face> kept = new ArrayList<>();
        for (Face f : candidates) {
            if (kept.stream().allMatch(k -> k.box().iou(f.box()) <= NMS_IOU)) {
                kept.add(f);
            }
        }
        return kept;
    }
}
