package io.adastream.trainer.camvid;

import ai.onnx.proto.OnnxMl.ModelProto;

import java.util.Map;

/**
 * The trained CamVid segmenter: its ONNX exports with BatchNormalization kept and folded, and the spec of each.
 */
public record CamVidModel(ModelProto batchNorm, ModelProto folded, Map<String, Object> batchNormSpec,
                          Map<String, Object> foldedSpec) {
    /** File base name of the export with BatchNormalization nodes. */
    public static final String NAME = "camvid-segmenter";
    /** File base name of the export with BatchNormalization folded into the convolutions. */
    public static final String FOLDED_NAME = "camvid-segmenter-folded";
}
