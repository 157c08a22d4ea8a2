package io.adastream.adapt.calibrate;

/**
 * Settings of a calibration run.
 *
 * @param epsilon  the epsilon of every inserted BatchNormalization node (ONNX's default, 1e-5, unless a test needs 0)
 * @param threads  ONNX Runtime intra-op threads, 0 for its default
 * @param progress told after every frame
 */
public record CalibrationOptions(float epsilon, int threads, CalibrationProgress progress) {

    /** ONNX's default BatchNormalization epsilon. */
    public static final float DEFAULT_EPSILON = 1e-5f;

    public CalibrationOptions {
        if (!(epsilon >= 0f) || !Float.isFinite(epsilon)) {
            throw new IllegalArgumentException("epsilon must be finite and non-negative: " + epsilon);
        }
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be non-negative: " + threads);
        }
        progress = progress == null ? CalibrationProgress.NONE : progress;
    }

    public static CalibrationOptions defaults() {
        return new CalibrationOptions(DEFAULT_EPSILON, 0, CalibrationProgress.NONE);
    }

    public CalibrationOptions withEpsilon(float e) {
        return new CalibrationOptions(e, threads, progress);
    }

    public CalibrationOptions withThreads(int t) {
        return new CalibrationOptions(epsilon, t, progress);
    }

    public CalibrationOptions withProgress(CalibrationProgress p) {
        return new CalibrationOptions(epsilon, threads, p);
    }
}
