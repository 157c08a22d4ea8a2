package io.adastream.trainer.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.adastream.models.synth.Scene;
import io.adastream.models.task.TensorNormalizer;

import java.nio.FloatBuffer;
import java.util.List;

/**
 * The demo models' input: RGB in [0, 1], per channel {@code (v - mean) / std} with the ImageNet statistics, NCHW.
 * The model spec files record the same constants, so the service feeds what training saw.
 */
public final class InputNormalization {
    /** Per-channel (R, G, B) mean subtracted from values in [0, 1]. */
    public static final float[] MEAN = {0.485f, 0.456f, 0.406f};
    /** Per-channel (R, G, B) divisor after the mean is subtracted. */
    public static final float[] STD = {0.229f, 0.224f, 0.225f};

    private static final TensorNormalizer NORMALIZER = new TensorNormalizer(MEAN, STD);

    private InputNormalization() {
    }

    /** The scenes as one normalized float array of shape [scenes, 3, H, W]. */
    public static float[] toNchw(List<Scene> scenes) {
        Scene first = scenes.get(0);
        int slot = 3 * first.width() * first.height();
        FloatBuffer buffer = FloatBuffer.allocate(scenes.size() * slot);
        for (int i = 0; i < scenes.size(); i++) {
            Scene s = scenes.get(i);
            NORMALIZER.rgbHwcToNchw(s.rgb(), s.width(), s.height(), buffer, i * slot);
        }
        return buffer.array();
    }

    /** The scenes as a normalized NDArray [scenes, 3, H, W] owned by {@code manager}. */
    public static NDArray toNdArray(NDManager manager, List<Scene> scenes) {
        Scene first = scenes.get(0);
        return manager.create(toNchw(scenes), new Shape(scenes.size(), 3, first.height(), first.width()));
    }
}
