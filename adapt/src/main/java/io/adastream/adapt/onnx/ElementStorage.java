package io.adastream.adapt.onnx;

import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;

/**
 * How a {@link TensorProto} of one element type stores its elements: bytes per element in {@code raw_data}
 * (4-bit types pack two per byte) and which typed field holds them otherwise, with how many values per element.
 */
record ElementStorage(int rawBytesPerElement, boolean packedNibbles, Field field, int valuesPerElement) {

    /** The typed field that holds a tensor's values when it has no {@code raw_data}. */
    enum Field { FLOAT, INT32, INT64, DOUBLE, UINT64, STRING }

    /** The storage of a data type, or null for a type this check does not know (then only dims are checked). */
    static ElementStorage of(int dataType) {
        DataType type = DataType.forNumber(dataType);
        if (type == null) {
            return null;
        }
        return switch (type) {
            case FLOAT -> new ElementStorage(4, false, Field.FLOAT, 1);
            case COMPLEX64 -> new ElementStorage(8, false, Field.FLOAT, 2);
            case DOUBLE -> new ElementStorage(8, false, Field.DOUBLE, 1);
            case COMPLEX128 -> new ElementStorage(16, false, Field.DOUBLE, 2);
            case INT64 -> new ElementStorage(8, false, Field.INT64, 1);
            case UINT64 -> new ElementStorage(8, false, Field.UINT64, 1);
            case UINT32 -> new ElementStorage(4, false, Field.UINT64, 1);
            case INT32 -> new ElementStorage(4, false, Field.INT32, 1);
            case INT16, UINT16, FLOAT16, BFLOAT16 -> new ElementStorage(2, false, Field.INT32, 1);
            case INT8, UINT8, BOOL, FLOAT8E4M3FN, FLOAT8E4M3FNUZ, FLOAT8E5M2, FLOAT8E5M2FNUZ ->
                    new ElementStorage(1, false, Field.INT32, 1);
            case INT4, UINT4 -> new ElementStorage(1, true, Field.INT32, 1);
            case STRING -> new ElementStorage(0, false, Field.STRING, 1);
            default -> null;
        };
    }

    /** Bytes {@code elements} take in {@code raw_data} (saturating at Long.MAX_VALUE). */
    long rawBytes(long elements) {
        if (packedNibbles) {
            return elements / 2 + elements % 2;
        }
        return elements > Long.MAX_VALUE / Math.max(1, rawBytesPerElement) ? Long.MAX_VALUE : elements * rawBytesPerElement;
    }

    /** Values {@code elements} take in the typed field (saturating at Long.MAX_VALUE). */
    long units(long elements) {
        if (packedNibbles) {
            return elements / 2 + elements % 2;
        }
        return elements > Long.MAX_VALUE / valuesPerElement ? Long.MAX_VALUE : elements * valuesPerElement;
    }

    /** The number of values a tensor holds in its typed field. */
    long typedValues(TensorProto t) {
        return switch (field) {
            case FLOAT -> t.getFloatDataCount();
            case INT32 -> t.getInt32DataCount();
            case INT64 -> t.getInt64DataCount();
            case DOUBLE -> t.getDoubleDataCount();
            case UINT64 -> t.getUint64DataCount();
            case STRING -> t.getStringDataCount();
        };
    }
}
