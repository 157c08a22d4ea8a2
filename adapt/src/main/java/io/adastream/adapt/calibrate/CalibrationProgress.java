package io.adastream.adapt.calibrate;

/** Told after each calibration frame; the command line draws its progress line from it. */
@FunctionalInterface
public interface CalibrationProgress {

    /** Reports nothing. */
    CalibrationProgress NONE = (done, total) -> { };

    void frameDone(int done, int total);
}
