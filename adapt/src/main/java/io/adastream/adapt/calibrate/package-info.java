/**
 * Calibration of models whose BatchNormalization was folded into the convolutions at export: {@link
 * io.adastream.adapt.calibrate.ConvSurvey} finds the convolutions that lost a BatchNorm layer, {@link
 * io.adastream.adapt.calibrate.ActivationStatistics} measures their outputs' population statistics over calibration
 * frames, and {@link io.adastream.adapt.calibrate.BatchNormInsertion} puts back a BatchNormalization that is the
 * identity on those frames, so that the adaptive graph has statistics to adapt. {@link
 * io.adastream.adapt.calibrate.Calibrator} runs the three steps.
 */
package io.adastream.adapt.calibrate;
