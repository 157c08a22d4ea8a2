package io.adastream.models.synth;

/**
 * One labelled object of a {@link Scene}: its class id (1..K, see {@link SceneClasses}) and the pixel box of its
 * visible extent, {@code [x0, x1) x [y0, y1)} in pixel-edge coordinates (a box covering pixel columns 3..7 has
 * x0 = 3 and x1 = 8).
 */
public record SceneObject(int classId, float x0, float y0, float x1, float y1) {
    public SceneObject {
        if (classId < 1 || classId > SceneClasses.FOREGROUND_COUNT) {
            throw new IllegalArgumentException("class id out of range 1.." + SceneClasses.FOREGROUND_COUNT + ": " + classId);
        }
        if (!(x1 > x0) || !(y1 > y0)) {
            throw new IllegalArgumentException("empty box: " + x0 + "," + y0 + "," + x1 + "," + y1);
        }
    }

    public float width() {
        return x1 - x0;
    }

    public float height() {
        return y1 - y0;
    }
}
