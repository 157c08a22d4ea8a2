package io.adastream.trainer.camvid;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Training batches: input and target mirrored together, Unlabelled all-zero, class weights. */
class CamVidBatchEncoderTest {
    @Test
    void inputAndTargetAreMirroredTogetherAndUnlabelledHasNoTarget() {
        int w = 4;
        int h = 2;
        // input channel 0 holds the label id of the pixel, so a mirrored input must match a mirrored target
        byte[] labels = {0, 1, 2, 11, 3, 11, 4, 5};
        float[] input = new float[3 * w * h];
        for (int p = 0; p < w * h; p++) {
            input[p] = labels[p];
            input[w * h + p] = p;
        }
        CamVidFrame frame = new CamVidFrame("0006R0_x", input, labels);
        CamVidBatchEncoder encoder = new CamVidBatchEncoder(w, h, 7L);
        int mirrored = 0;
        try (NDManager manager = NDManager.newBaseManager()) {
            for (int round = 0; round < 20; round++) {
                NDList data = encoder.data(manager, List.of(frame, frame));
                NDList target = encoder.labels(manager, List.of(frame, frame));
                float[] x = data.singletonOrThrow().toFloatArray();
                float[] t = target.singletonOrThrow().toFloatArray();
                assertEquals(2 * 3 * w * h, x.length);
                assertEquals(2 * CamVidClasses.COUNT * w * h, t.length);
                for (int i = 0; i < 2; i++) {
                    boolean flipped = x[i * 3 * w * h + w * h] != 0f; // pixel 0 of channel 1 holds its index
                    mirrored += flipped ? 1 : 0;
                    assertEquals(flipped ? 3f : 0f, x[i * 3 * w * h + w * h]);
                    for (int p = 0; p < w * h; p++) {
                        int y = p / w;
                        int source = y * w + (flipped ? w - 1 - p % w : p % w);
                        int id = labels[source];
                        assertEquals(id, x[i * 3 * w * h + p], 0f);
                        float sum = 0;
                        for (int c = 0; c < CamVidClasses.COUNT; c++) {
                            float v = t[(i * CamVidClasses.COUNT + c) * w * h + p];
                            sum += v;
                            assertEquals(c == id ? 1f : 0f, v, "pixel " + p + " class " + c);
                        }
                        assertEquals(id == CamVidClasses.IGNORE_ID ? 0f : 1f, sum);
                    }
                }
            }
        }
        assertTrue(mirrored > 5 && mirrored < 35, "mirrored " + mirrored + " of 40");
    }

    @Test
    void classWeightsAreTheSquareRootOfMedianFrequencyBalancing() {
        // counts: class 0: 8, class 1: 2, class 3: 1 (class 2 and 4..10 absent; 11 ignored); median of {1, 2, 8} = 2
        byte[] labels = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 3, 11, 11};
        CamVidSet set = new CamVidSet(List.of(new CamVidFrame("a_1", new float[3 * 13], labels)), 13, 1);
        float[] weights = CamVidBatchEncoder.classWeights(set);
        float[] expected = new float[CamVidClasses.COUNT];
        java.util.Arrays.fill(expected, 1f);
        expected[0] = (float) Math.sqrt(2.0 / 8);
        expected[1] = 1f;
        expected[3] = (float) Math.sqrt(2.0);
        assertArrayEquals(expected, weights, 1e-6f);
    }
}
