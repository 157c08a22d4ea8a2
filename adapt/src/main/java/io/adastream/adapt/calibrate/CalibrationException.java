package io.adastream.adapt.calibrate;

/** A model or frame set that calibration refuses; the message is one line for an operator. */
public final class CalibrationException extends Exception {

    /** The documented reasons calibration refuses. */
    public enum Reason {
        /** Every convolution already has a BatchNormalization layer, is a head or has a single position. */
        NOTHING_TO_INSERT,
        /** Fewer frames than {@link Calibrator#MIN_FRAMES}. */
        TOO_FEW_FRAMES,
        /** A frame could not be read or pre-processed. */
        BAD_FRAME,
        /** A convolution produced NaN or infinity on a frame. */
        NON_FINITE,
        /** A model calibration does not handle (several inputs, an adaptive graph, an opset out of range). */
        UNSUPPORTED
    }

    private final Reason reason;

    public CalibrationException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public CalibrationException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
