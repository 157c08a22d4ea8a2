package io.adastream.trainer.eval;

import io.adastream.models.synth.Scene;
import io.adastream.trainer.data.SceneSet;

import java.util.ArrayList;
import java.util.List;

/** Slicing of scene sets into batches. */
public final class Batches {
    private Batches() {
    }

    /** Scenes {@code start} (inclusive) to {@code end} (exclusive). */
    public static List<Scene> slice(SceneSet scenes, int start, int end) {
        List<Scene> batch = new ArrayList<>(end - start);
        for (int i = start; i < end; i++) {
            batch.add(scenes.get(i));
        }
        return batch;
    }
}
