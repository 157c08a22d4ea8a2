package io.adastream.models.synth;

import io.adastream.models.util.SplitMix64;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Generates a deterministic sequence of synthetic scenes for a seed: a textured background, background clutter
 * blobs, then 1..{@value #MAX_OBJECTS} objects of random class, size, rotation, colour and texture, painted in order
 * so that later objects occlude earlier ones. The mask and the boxes describe what is visible; an object left with
 * less than {@value #MIN_VISIBLE_FRACTION} of its painted pixels (or fewer than {@value #MIN_VISIBLE_PIXELS}
 * pixels) gets no box, though its visible pixels keep their class in the mask. Not thread-safe.
 */
public final class SceneGenerator {
    static final int MAX_OBJECTS = 6;
    static final float MIN_VISIBLE_FRACTION = 0.2f;
    static final int MIN_VISIBLE_PIXELS = 4;
    private static final int MAX_CLUTTER = 4;
    private static final float MIN_SIZE = 0.07f;
    private static final float MAX_SIZE = 0.22f;
    private static final float NEAR_PREVIOUS = 0.35f;

    private final SplitMix64 rng;
    private final int width;
    private final int height;
    private final BackgroundPainter background;
    private final ClutterPainter clutter;
    private final ObjectPainter painter;
    private final int[] owner;
    private final int[] drawn = new int[MAX_OBJECTS + 1];
    private final int[] visible = new int[MAX_OBJECTS + 1];
    private final int[] classOf = new int[MAX_OBJECTS + 1];
    private final int[] minX = new int[MAX_OBJECTS + 1];
    private final int[] minY = new int[MAX_OBJECTS + 1];
    private final int[] maxX = new int[MAX_OBJECTS + 1];
    private final int[] maxY = new int[MAX_OBJECTS + 1];
    private final float[] centreX = new float[MAX_OBJECTS + 1];
    private final float[] centreY = new float[MAX_OBJECTS + 1];
    private final float[] avoid = new float[3];
    private long droppedObjects;

    public SceneGenerator(long seed, int width, int height) {
        if (width < 16 || height < 16) {
            throw new IllegalArgumentException("scenes need at least 16x16 pixels, got " + width + "x" + height);
        }
        if ((long) width * height > 1 << 24) {
            throw new IllegalArgumentException("scene too large: " + width + "x" + height);
        }
        this.rng = new SplitMix64(seed);
        this.width = width;
        this.height = height;
        this.background = new BackgroundPainter(width, height);
        this.clutter = new ClutterPainter(width, height);
        this.painter = new ObjectPainter(width, height);
        this.owner = new int[width * height];
    }

    /** The next scene of this generator's sequence. */
    public Scene next() {
        float[] rgb = new float[width * height * 3];
        background.paint(rng, rgb);
        int blobs = rng.nextInt(MAX_CLUTTER + 1);
        for (int i = 0; i < blobs; i++) {
            clutter.paintBlob(rng, rgb);
        }

        Arrays.fill(owner, 0);
        int count = 1 + rng.nextInt(MAX_OBJECTS);
        int minSide = Math.min(width, height);
        for (int id = 1; id <= count; id++) {
            int classId = 1 + rng.nextInt(SceneClasses.FOREGROUND_COUNT);
            float r = rng.uniform(MIN_SIZE, MAX_SIZE) * minSide;
            float cx;
            float cy;
            if (id > 1 && rng.nextFloat() < NEAR_PREVIOUS) {
                int previous = 1 + rng.nextInt(id - 1);
                cx = clamp(centreX[previous] + rng.uniform(-1.2f, 1.2f) * r, 0, width);
                cy = clamp(centreY[previous] + rng.uniform(-1.2f, 1.2f) * r, 0, height);
            } else {
                cx = rng.uniform(0.5f * r, width - 0.5f * r);
                cy = rng.uniform(0.5f * r, height - 0.5f * r);
            }
            int centre = ((int) Math.min(height - 1, cy) * width + (int) Math.min(width - 1, cx)) * 3;
            System.arraycopy(rgb, centre, avoid, 0, 3);
            centreX[id] = cx;
            centreY[id] = cy;
            classOf[id] = classId;
            drawn[id] = painter.paint(rng, rgb, owner, id, ShapeKind.ofClass(classId), cx, cy, r, avoid);
        }
        byte[] mask = new byte[width * height];
        List<SceneObject> objects = measureVisible(count, mask);
        return new Scene(width, height, rgb, mask, objects);
    }

    /** How many painted objects were left without a box (too occluded) so far; for tests and diagnostics. */
    long droppedObjects() {
        return droppedObjects;
    }

    private List<SceneObject> measureVisible(int count, byte[] mask) {
        for (int id = 1; id <= count; id++) {
            visible[id] = 0;
            minX[id] = Integer.MAX_VALUE;
            minY[id] = Integer.MAX_VALUE;
            maxX[id] = -1;
            maxY[id] = -1;
        }
        for (int y = 0, p = 0; y < height; y++) {
            for (int x = 0; x < width; x++, p++) {
                int id = owner[p];
                if (id == 0) {
                    continue;
                }
                mask[p] = (byte) classOf[id];
                visible[id]++;
                minX[id] = Math.min(minX[id], x);
                maxX[id] = Math.max(maxX[id], x);
                minY[id] = Math.min(minY[id], y);
                maxY[id] = Math.max(maxY[id], y);
            }
        }
        List<SceneObject> objects = new ArrayList<>(count);
        for (int id = 1; id <= count; id++) {
            if (drawn[id] == 0) {
                continue;
            }
            if (visible[id] < MIN_VISIBLE_PIXELS || visible[id] < MIN_VISIBLE_FRACTION * drawn[id]) {
                droppedObjects++;
                continue;
            }
            objects.add(new SceneObject(classOf[id], minX[id], minY[id], maxX[id] + 1, maxY[id] + 1));
        }
        return objects;
    }

    private static float clamp(float v, float lo, float hi) {
        return v < lo ? lo : Math.min(v, hi);
    }
}
