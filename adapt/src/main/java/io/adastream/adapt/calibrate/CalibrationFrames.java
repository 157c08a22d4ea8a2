package io.adastream.adapt.calibrate;

/**
 * The calibration frames, already pre-processed into model-input tensors of one sample each. Implementations
 * decode and pre-process lazily, so that a large folder never sits in memory.
 */
public interface CalibrationFrames {

    /** How many frames there are. */
    int count();

    /** The shape of one sample without the batch dimension, e.g. {@code [3, 240, 320]}. */
    long[] sampleShape();

    /** A short name of frame {@code index} for messages (its file name). */
    String describe(int index);

    /**
     * Writes frame {@code index} into {@code dst} (length: the product of {@link #sampleShape()}).
     *
     * @throws CalibrationException with {@link CalibrationException.Reason#BAD_FRAME} if it cannot be read or
     *                              pre-processed
     */
    void fill(int index, float[] dst) throws CalibrationException;
}
