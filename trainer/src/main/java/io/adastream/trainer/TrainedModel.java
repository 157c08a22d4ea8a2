package io.adastream.trainer;

import ai.onnx.proto.OnnxMl.ModelProto;

import java.util.Map;

/**
 * One exported demo model and its spec (a JSON object as nested maps and lists, written next to the model).
 *
 * @param name file base name, e.g. {@code segmenter} for segmenter.onnx and segmenter.json
 */
public record TrainedModel(String name, ModelProto onnx, Map<String, Object> spec) {
}
