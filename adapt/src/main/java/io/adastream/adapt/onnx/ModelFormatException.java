package io.adastream.adapt.onnx;

/**
 * A model that AdaStream cannot read or adapt; {@link #reason()} says which documented case it is and
 * the message is one line meant for an operator.
 */
public final class ModelFormatException extends Exception {

    /** The documented reasons a model is refused. */
    public enum Reason {
        /** The bytes are not a complete ONNX model (truncated, empty, not protobuf, no graph). */
        UNREADABLE,
        /** The graph has no BatchNormalization node at all. */
        NO_BATCHNORM,
        /** The graph has BatchNormalization nodes, but none that can be rewritten. */
        NOT_ADAPTABLE,
        /** The model was already rewritten by AdaStream. */
        ALREADY_REWRITTEN,
        /** A feature the rewrite does not support (opset, element type, training mode, control flow, size). */
        UNSUPPORTED,
        /**
         * A complete model whose content is not valid: tensor data that does not match its declared shape, external
         * data, an opset version out of range, non-finite or negative BatchNormalization statistics.
         */
        INVALID
    }

    private final Reason reason;

    public ModelFormatException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public ModelFormatException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
