package io.adastream.adapt.calibrate;

import ai.onnx.proto.OnnxMl.ModelProto;

import java.util.List;

/**
 * A calibrated model and what was done to it: the layers inserted (in graph order) and every convolution with its
 * final role.
 */
public record CalibrationResult(ModelProto model, List<CalibratedLayer> inserted, List<ConvSite> convolutions,
                                int frames, float epsilon) {

    /** How many convolutions have the given role. */
    public long count(ConvSite.Role role) {
        return convolutions.stream().filter(c -> c.role() == role).count();
    }
}
