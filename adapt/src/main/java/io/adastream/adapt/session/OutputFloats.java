package io.adastream.adapt.session;

import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;

/**
 * Copies of a model output's values (float, int64 or int32, from the buffer's position to its limit) as a float
 * array, for the tools that compare outputs; int64 values beyond 2^24 lose precision. Allocates: not for the
 * per-frame path.
 */
public final class OutputFloats {

    private OutputFloats() {
    }

    public static float[] of(FloatBuffer b) {
        float[] out = new float[b.remaining()];
        b.get(b.position(), out);
        return out;
    }

    public static float[] of(LongBuffer b) {
        float[] out = new float[b.remaining()];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.get(b.position() + i);
        }
        return out;
    }

    public static float[] of(IntBuffer b) {
        float[] out = new float[b.remaining()];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.get(b.position() + i);
        }
        return out;
    }
}
