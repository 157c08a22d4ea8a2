package io.adastream.trainer.onnx;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The fold formula on hand-computed numbers. */
class BatchNormFoldTest {
    @Test
    void foldsScaleIntoWeightsAndShiftIntoBias() {
        // two output channels of two weights each
        float[] weight = {1f, -2f, 0.5f, 4f};
        float[] gamma = {2f, 0.5f};
        float[] beta = {0.25f, -1f};
        float[] mean = {3f, -1f};
        float[] var = {3f, 0.25f};
        float eps = 1f;
        // channel 0: s = 2 / sqrt(4) = 1; channel 1: s = 0.5 / sqrt(1.25)
        double s1 = 0.5 / Math.sqrt(1.25);
        BatchNormFold.Folded noBias = BatchNormFold.fold(weight, null, gamma, beta, mean, var, eps);
        assertArrayEquals(new float[]{1f, -2f, (float) (0.5 * s1), (float) (4 * s1)}, noBias.weight(), 1e-7f);
        assertArrayEquals(new float[]{-3f + 0.25f, (float) (1 * s1 - 1)}, noBias.bias(), 1e-7f);

        BatchNormFold.Folded withBias = BatchNormFold.fold(weight, new float[]{5f, 2f}, gamma, beta, mean, var, eps);
        assertArrayEquals(new float[]{(5f - 3f) + 0.25f, (float) ((2 + 1) * s1 - 1)}, withBias.bias(), 1e-7f);
    }

    @Test
    void mismatchedChannelsAreRejected() {
        float[] two = {1f, 1f};
        assertThrows(IllegalArgumentException.class,
                () -> BatchNormFold.fold(new float[3], null, two, two, two, two, 1e-5f));
        assertThrows(IllegalArgumentException.class,
                () -> BatchNormFold.fold(new float[4], null, two, two, new float[1], two, 1e-5f));
    }
}
