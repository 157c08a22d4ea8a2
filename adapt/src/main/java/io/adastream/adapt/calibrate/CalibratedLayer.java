package io.adastream.adapt.calibrate;

/**
 * A convolution whose output was measured on the calibration frames: its population mean and variance per channel
 * (over all frames and positions, accumulated in double) and the number of spatial positions of one frame.
 */
public record CalibratedLayer(ConvSite site, int channels, long spatial, double[] mean, double[] variance) {
}
