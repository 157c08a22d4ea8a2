package io.adastream.models.synth;

import java.util.List;

/** Class names of the synthetic scenes; the index in {@link #NAMES} is the class id used in masks and boxes. */
public final class SceneClasses {
    /** "background" (id 0), then the foreground shapes, ids 1..{@link #FOREGROUND_COUNT}. */
    public static final List<String> NAMES = List.of("background", "disc", "square", "triangle", "ring", "bar");

    /** Number of foreground classes K (the class ids are 1..K). */
    public static final int FOREGROUND_COUNT = NAMES.size() - 1;

    public static final int DISC = 1;
    public static final int SQUARE = 2;
    public static final int TRIANGLE = 3;
    public static final int RING = 4;
    public static final int BAR = 5;

    private SceneClasses() {
    }
}
