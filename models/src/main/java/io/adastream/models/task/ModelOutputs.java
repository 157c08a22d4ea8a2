package io.adastream.models.task;

import java.nio.FloatBuffer;
import java.util.Arrays;

/** The output tensors of one model run, by name: each a row-major float buffer and its shape. */
public interface ModelOutputs {

    /** The tensor's values, row-major; absolute reads only. */
    FloatBuffer tensor(String name);

    /** The tensor's shape. */
    long[] shape(String name);

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
