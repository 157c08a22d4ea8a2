package io.adastream.trainer.data;

import io.adastream.models.synth.SceneObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Grid assignment and the encoding of boxes into the detector's target layout, with hand-computed values. */
class DetectionTargetsTest {
    static final int GRID = 8;
    static final int STRIDE = 8;
    static final int CLASSES = 5;
    static final int CHANNELS = 5 + CLASSES;
    static final int CELLS = GRID * GRID;

    static float at(float[] t, int channel, int gy, int gx) {
        return t[channel * CELLS + gy * GRID + gx];
    }

    @Test
    void aBoxIsEncodedInTheCellOfItsCentre() {
        float[] t = new float[CHANNELS * CELLS];
        // centre (20, 44) -> cell gx = 2, gy = 5, offsets 0.5, 0.5; size 16 x 4 -> log 2, log 0.5
        DetectionTargets.encodeScene(List.of(new SceneObject(3, 12, 42, 28, 46)), GRID, GRID, STRIDE, CHANNELS, t, 0);
        assertEquals(1f, at(t, 0, 5, 2));
        assertEquals(0.5f, at(t, 1, 5, 2), 1e-6);
        assertEquals(0.5f, at(t, 2, 5, 2), 1e-6);
        assertEquals((float) Math.log(2), at(t, 3, 5, 2), 1e-6);
        assertEquals((float) Math.log(0.5), at(t, 4, 5, 2), 1e-6);
        assertEquals(1f, at(t, 5 + 2, 5, 2));
        float sum = 0;
        for (float v : t) {
            sum += v;
        }
        assertEquals(1 + 0.5 + 0.5 + Math.log(2) + Math.log(0.5) + 1, sum, 1e-5);
    }

    @Test
    void theLargerBoxWinsASharedCell() {
        float[] t = new float[CHANNELS * CELLS];
        SceneObject big = new SceneObject(1, 0, 0, 15, 15);
        SceneObject small = new SceneObject(4, 6, 6, 9, 9);
        DetectionTargets.encodeScene(List.of(small, big, new SceneObject(2, 7, 7, 8, 8)), GRID, GRID, STRIDE,
                CHANNELS, t, 0);
        // all three centres fall in cell (0, 0); the 15 x 15 disc is kept and no other class is set
        assertEquals(1f, at(t, 5, 0, 0));
        assertEquals(0f, at(t, 5 + 1, 0, 0));
        assertEquals(0f, at(t, 5 + 3, 0, 0));
        assertEquals((float) Math.log(15.0 / 8), at(t, 3, 0, 0), 1e-6);
    }

    @Test
    void centresOnTheFarEdgeStayInTheGrid() {
        float[] t = new float[CHANNELS * CELLS];
        DetectionTargets.encodeScene(List.of(new SceneObject(5, 60, 60, 64, 64)), GRID, GRID, STRIDE, CHANNELS, t, 0);
        assertEquals(1f, at(t, 0, 7, 7));
        assertEquals(0.75f, at(t, 1, 7, 7), 1e-6);
    }
}
