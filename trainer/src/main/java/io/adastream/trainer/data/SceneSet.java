package io.adastream.trainer.data;

import io.adastream.models.synth.Scene;
import io.adastream.models.synth.SceneGenerator;

import java.util.ArrayList;
import java.util.List;

/**
 * A fixed list of clean synthetic scenes, generated once from a seed (the source domain); training and held-out sets
 * use different seeds. Immutable after construction.
 */
public final class SceneSet {
    private final List<Scene> scenes;
    private final int width;
    private final int height;

    private SceneSet(List<Scene> scenes, int width, int height) {
        this.scenes = List.copyOf(scenes);
        this.width = width;
        this.height = height;
    }

    /** The first {@code count} scenes of {@code new SceneGenerator(seed, width, height)}. */
    public static SceneSet generate(long seed, int count, int width, int height) {
        SceneGenerator generator = new SceneGenerator(seed, width, height);
        List<Scene> scenes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            scenes.add(generator.next());
        }
        return new SceneSet(scenes, width, height);
    }

    public Scene get(int index) {
        return scenes.get(index);
    }

    public int size() {
        return scenes.size();
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }
}
