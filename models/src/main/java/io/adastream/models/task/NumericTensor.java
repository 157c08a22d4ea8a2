package io.adastream.models.task;

import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;

/**
 * One output tensor's values read as numbers whatever its element type (float, int64 or int32): bound to the
 * outputs of a run, then read by index. Reused across runs by its decoder (no allocation per frame); not thread-safe.
 */
final class NumericTensor {
    private TensorElement element;
    private FloatBuffer floats;
    private LongBuffer longs;
    private IntBuffer ints;
    private int limit;

    /** Reads tensor {@code name} of {@code outputs} from now on. */
    NumericTensor bind(ModelOutputs outputs, String name) {
        element = outputs.element(name);
        switch (element) {
            case INT64 -> {
                longs = outputs.longTensor(name);
                limit = longs.limit();
            }
            case INT32 -> {
                ints = outputs.intTensor(name);
                limit = ints.limit();
            }
            default -> {
                floats = outputs.tensor(name);
                limit = floats.limit();
            }
        }
        return this;
    }

    int limit() {
        return limit;
    }

    /**
     * Value {@code i} as a whole number: integers as they are, floats rounded to the nearest; a float that is not
     * finite gives {@link Long#MIN_VALUE}, outside every valid index.
     */
    long whole(int i) {
        return switch (element) {
            case INT64 -> longs.get(i);
            case INT32 -> ints.get(i);
            default -> {
                float v = floats.get(i);
                yield Float.isFinite(v) ? Math.round((double) v) : Long.MIN_VALUE;
            }
        };
    }
}
