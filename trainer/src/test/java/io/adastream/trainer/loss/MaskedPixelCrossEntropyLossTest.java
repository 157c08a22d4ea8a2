package io.adastream.trainer.loss;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The masked, weighted cross-entropy against a hand computation. */
class MaskedPixelCrossEntropyLossTest {
    @Test
    void ignoredPixelsCountNeitherInTheSumNorInTheMean() {
        // 2 classes, 3 pixels: pixel 0 class 0, pixel 1 class 1, pixel 2 ignored (all-zero target)
        float[] logits = {2f, 0f, 5f,   // class 0 plane
                0f, 1f, -5f};           // class 1 plane
        float[] target = {1f, 0f, 0f,
                0f, 1f, 0f};
        float[] weights = {0.5f, 2f};
        try (NDManager m = NDManager.newBaseManager()) {
            float loss = new MaskedPixelCrossEntropyLoss(weights).evaluate(
                    new NDList(m.create(target, new Shape(1, 2, 1, 3))),
                    new NDList(m.create(logits, new Shape(1, 2, 1, 3)))).getFloat();
            double ce0 = -Math.log(Math.exp(2) / (Math.exp(2) + Math.exp(0)));
            double ce1 = -Math.log(Math.exp(1) / (Math.exp(0) + Math.exp(1)));
            double expected = (0.5 * ce0 + 2 * ce1) / (0.5 + 2);
            assertEquals(expected, loss, 1e-6);
        }
    }
}
