package io.adastream.trainer.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.adastream.models.synth.Scene;
import io.adastream.trainer.data.InputNormalization;

import java.util.List;

/** Inference-mode forward passes of a trained block (BatchNormalization with its running statistics). */
public final class Inference {
    private Inference() {
    }

    /**
     * The block's output for normalized NCHW input {@code images}, as a flat float array; intermediate arrays
     * belong to the input's manager.
     */
    public static float[] forward(Block block, NDArray images) {
        try (NDList out = block.forward(new ParameterStore(images.getManager(), false), new NDList(images), false)) {
            return out.singletonOrThrow().toFloatArray();
        }
    }

    /** The block's output for {@code scenes} (normalized as in training), as a flat float array. */
    public static float[] forward(Block block, NDManager manager, List<Scene> scenes) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = InputNormalization.toNdArray(scope, scenes);
            NDList out = block.forward(new ParameterStore(scope, false), new NDList(x), false);
            return out.singletonOrThrow().toFloatArray();
        }
    }
}
