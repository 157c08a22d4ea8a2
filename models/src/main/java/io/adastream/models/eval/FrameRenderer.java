package io.adastream.models.eval;

import io.adastream.models.metrics.LabeledBox;
import io.adastream.models.synth.Scene;
import io.adastream.models.synth.SceneGenerator;
import io.adastream.models.synth.SceneObject;
import io.adastream.models.task.Box;
import io.adastream.models.util.SplitMix64;

import java.util.ArrayList;
import java.util.List;

/**
 * Renders evaluation frames: the next synthetic scene of a seeded sequence, a condition applied to it with a
 * per-frame seed, quantized to 8 bits. Deterministic: the same seed gives the same frames. Not thread-safe.
 */
public final class FrameRenderer {

    private final SceneGenerator scenes;
    private final long seed;
    private final int width;
    private final int height;
    private long count;

    public FrameRenderer(long seed, int width, int height) {
        this.scenes = new SceneGenerator(seed, width, height);
        this.seed = seed;
        this.width = width;
        this.height = height;
    }

    /** The next scene of the sequence. */
    public Scene nextScene() {
        return scenes.next();
    }

    /** The next scene under {@code condition}, its noise seeded by the position of the scene in the sequence. */
    public EvalFrame next(Condition condition) {
        return render(nextScene(), condition, count++);
    }

    /** A scene under {@code condition}; the corruption's noise is seeded by this renderer's seed and {@code index}. */
    public EvalFrame render(Scene scene, Condition condition, long index) {
        long frameSeed = SplitMix64.derive(seed, index).nextLong();
        float[] rgb = condition.apply(scene.rgb(), width, height, frameSeed);
        return frame(scene, rgb);
    }

    /** The frame of a scene with its pixels replaced by {@code rgb} (HWC floats in [0, 1]). */
    static EvalFrame frame(Scene scene, float[] rgb) {
        int n = scene.width() * scene.height();
        int[] packed = new int[n];
        for (int p = 0, i = 0; p < n; p++, i += 3) {
            packed[p] = (toByte(rgb[i]) << 16) | (toByte(rgb[i + 1]) << 8) | toByte(rgb[i + 2]);
        }
        return new EvalFrame(scene.width(), scene.height(), packed, scene.classMask(), boxes(scene));
    }

    /** The ground-truth boxes of a scene. */
    static List<LabeledBox> boxes(Scene scene) {
        List<LabeledBox> boxes = new ArrayList<>(scene.objects().size());
        for (SceneObject o : scene.objects()) {
            boxes.add(new LabeledBox(o.classId(), new Box(o.x0(), o.y0(), o.x1(), o.y1())));
        }
        return boxes;
    }

    private static int toByte(float v) {
        int b = Math.round(v * 255f);
        return b < 0 ? 0 : Math.min(b, 255);
    }
}
