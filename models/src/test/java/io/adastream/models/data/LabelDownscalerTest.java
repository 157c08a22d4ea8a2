package io.adastream.models.data;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The majority-vote label resize: integer and fractional footprints, enlarging, bad sizes. */
class LabelDownscalerTest {
    private final LabelDownscaler downscaler = new LabelDownscaler();

    @Test
    void fractionalFootprintsVoteWithTheAreaTheyCover() {
        // one row of 5 -> 2: target 0 covers [0, 2.5): 1, 1, half of 2; target 1 covers [2.5, 5): half of 2, 3, 3
        byte[] row = {1, 1, 2, 3, 3};
        assertArrayEquals(new byte[]{1, 3}, downscaler.resize(row, 5, 1, 2, 1));
        byte[] mixed = {5, 5, 1, 1, 5};
        // target 0: class 5 covers 2, class 1 covers 0.5 -> 5; target 1: class 1 covers 1.5, class 5 covers 1 -> 1
        assertArrayEquals(new byte[]{5, 1}, downscaler.resize(mixed, 5, 1, 2, 1));
    }

    @Test
    void twoDimensionalBlocksAndTies() {
        // 4x2 -> 2x1: left block {0, 9, 9, 0} ties 2:2 -> 0; right block {4, 4, 4, 11} -> 4
        byte[] mask = {0, 9, 4, 4,
                9, 0, 4, 11};
        assertArrayEquals(new byte[]{0, 4}, downscaler.resize(mask, 4, 2, 2, 1));
        // reused tables for another size give independent answers
        assertArrayEquals(new byte[]{0, 9, 4, 4, 9, 0, 4, 11}, downscaler.resize(mask, 4, 2, 4, 2));
    }

    @Test
    void enlargingIsNearestNeighbour() {
        byte[] mask = {1, 2,
                3, 4};
        assertArrayEquals(new byte[]{1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4},
                downscaler.resize(mask, 2, 2, 4, 4));
    }

    @Test
    void badSizesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> downscaler.resize(new byte[3], 2, 2, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> downscaler.resize(new byte[4], 2, 2, 0, 1));
    }
}
