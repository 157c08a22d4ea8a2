package io.adastream.adapt.onnx;

import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/** Conversions between ONNX {@link TensorProto} initializers and Java arrays. */
public final class Tensors {

    private Tensors() {
    }

    /** Number of elements a tensor declares through its dims; -1 for a negative dim or a count beyond a long. */
    public static long elementCount(TensorProto t) {
        if (t.getDimsList().contains(0L)) {
            return 0;
        }
        long n = 1;
        for (long d : t.getDimsList()) {
            if (d < 0) {
                return -1;
            }
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException e) {
                return -1;
            }
        }
        return n;
    }

    /**
     * Reads a FLOAT tensor's values, from {@code raw_data} (little endian) or {@code float_data}.
     *
     * @throws IllegalArgumentException if the tensor is not FLOAT or its data does not match its dims
     */
    public static float[] toFloatArray(TensorProto t) {
        if (t.getDataType() != TensorProto.DataType.FLOAT_VALUE) {
            throw new IllegalArgumentException("tensor '" + t.getName() + "' is "
                    + TensorProto.DataType.forNumber(t.getDataType()) + ", expected FLOAT");
        }
        if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            throw new IllegalArgumentException("tensor '" + t.getName() + "' uses external data, which is not supported");
        }
        long n = elementCount(t);
        if (n < 0 || n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("tensor '" + t.getName() + "' declares dims " + t.getDimsList()
                    + ", too many elements");
        }
        // the data length is checked against the dims before anything is allocated
        if (!t.getRawData().isEmpty()) {
            if (t.getRawData().size() != 4L * n) {
                throw new IllegalArgumentException("tensor '" + t.getName() + "' has " + t.getRawData().size()
                        + " raw bytes for " + n + " floats");
            }
            float[] out = new float[(int) n];
            t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
            return out;
        }
        if (t.getFloatDataCount() != n) {
            throw new IllegalArgumentException("tensor '" + t.getName() + "' has " + t.getFloatDataCount()
                    + " values for " + n + " elements");
        }
        float[] out = new float[(int) n];
        for (int i = 0; i < n; i++) {
            out[i] = t.getFloatData(i);
        }
        return out;
    }

    /** A FLOAT initializer with the given name, dims and values, stored as raw little-endian bytes. */
    public static TensorProto floatTensor(String name, long[] dims, float[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        FloatBuffer floats = bytes.asFloatBuffer();
        floats.put(values);
        TensorProto.Builder b = TensorProto.newBuilder()
                .setName(name)
                .setDataType(TensorProto.DataType.FLOAT_VALUE)
                .setRawData(ByteString.copyFrom(bytes.array()));
        for (long d : dims) {
            b.addDims(d);
        }
        return b.build();
    }

    /** A 1-D INT64 initializer. */
    public static TensorProto int64Tensor(String name, long... values) {
        return TensorProto.newBuilder()
                .setName(name)
                .setDataType(TensorProto.DataType.INT64_VALUE)
                .addDims(values.length)
                .addAllInt64Data(java.util.Arrays.stream(values).boxed().toList())
                .build();
    }

    /** A FLOAT scalar initializer (rank 0). */
    public static TensorProto floatScalar(String name, float value) {
        return TensorProto.newBuilder()
                .setName(name)
                .setDataType(TensorProto.DataType.FLOAT_VALUE)
                .addFloatData(value)
                .build();
    }
}
