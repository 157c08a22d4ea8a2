package io.adastream.models.task;

import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;

/**
 * The output tensors of one model run, by name: each a row-major buffer of its element type (float unless
 * {@link #element} says int64 or int32) and its shape.
 */
public interface ModelOutputs {

    /** A float tensor's values, row-major; absolute reads only. */
    FloatBuffer tensor(String name);

    /** The tensor's shape. */
    long[] shape(String name);

    /** The tensor's element type; float unless overridden. */
    default TensorElement element(String name) {
        return TensorElement.FLOAT;
    }

    /** An int64 tensor's values, row-major; absolute reads only. */
    default LongBuffer longTensor(String name) {
        throw new IllegalArgumentException("model output '" + name + "' is " + element(name) + ", not INT64");
    }

    /** An int32 tensor's values, row-major; absolute reads only. */
    default IntBuffer intTensor(String name) {
        throw new IllegalArgumentException("model output '" + name + "' is " + element(name) + ", not INT32");
    }

    /** A single tensor under a name. */
    static ModelOutputs of(String name, FloatBuffer tensor, long[] shape) {
        return new ModelOutputs() {
            @Override
            public FloatBuffer tensor(String n) {
                check(n);
                return tensor;
            }

            @Override
            public long[] shape(String n) {
                check(n);
                return shape;
            }

            private void check(String n) {
                if (!name.equals(n)) {
                    throw new IllegalArgumentException("no model output '" + n + "'; this run has '" + name + "'");
                }
            }
        };
    }

    /** The one-line description of a shape, for errors. */
    static String describe(long[] shape) {
        return Arrays.toString(shape);
    }
}
