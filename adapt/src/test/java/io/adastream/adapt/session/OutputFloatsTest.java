package io.adastream.adapt.session;

import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class OutputFloatsTest {

    @Test
    void eachTypeIsCopiedFromItsPositionToItsLimitWithoutMovingIt() {
        LongBuffer longs = LongBuffer.wrap(new long[]{9, -3, 1L << 24, 7});
        longs.position(1).limit(3);
        assertArrayEquals(new float[]{-3f, 16_777_216f}, OutputFloats.of(longs), 0f);
        assertEquals(1, longs.position());

        IntBuffer ints = IntBuffer.wrap(new int[]{5, 0, -2});
        ints.position(1);
        assertArrayEquals(new float[]{0f, -2f}, OutputFloats.of(ints), 0f);
        assertEquals(1, ints.position());

        FloatBuffer floats = FloatBuffer.wrap(new float[]{0.5f, Float.NaN, -1.25f});
        floats.position(1);
        assertArrayEquals(new float[]{Float.NaN, -1.25f}, OutputFloats.of(floats), 0f);
        assertEquals(1, floats.position());
    }
}
