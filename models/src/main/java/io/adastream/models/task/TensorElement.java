package io.adastream.models.task;

import ai.onnxruntime.OnnxJavaType;

/** The element types of model outputs the decoders read: float, and the int64 and int32 of ArgMax and Cast outputs. */
public enum TensorElement {
    FLOAT, INT64, INT32;

    /** The element of an ONNX Runtime type, or null for a type the decoders do not read. */
    public static TensorElement of(OnnxJavaType type) {
        return switch (type) {
            case FLOAT -> FLOAT;
            case INT64 -> INT64;
            case INT32 -> INT32;
            default -> null;
        };
    }
}
