package io.adastream.adapt.onnx;

import java.util.List;

/**
 * A model rewritten for per-sample adaptation: the serialized adaptive graph, its BatchNormalization layers
 * with their source statistics, and the names of the original model's inputs and outputs
 * ({@link AdaptiveNames} documents the names the rewrite adds).
 */
public record AdaptiveModel(
        byte[] adaptiveBytes,
        List<BatchNormLayer> layers,
        List<String> modelInputs,
        List<String> modelOutputs,
        int opset,
        byte[] sourceFingerprint) {

    public int layerCount() {
        return layers.size();
    }

    /** Channel count of each layer, in layer order. */
    public int[] channels() {
        return layers.stream().mapToInt(BatchNormLayer::channels).toArray();
    }

    /** Total channels over all layers. */
    public int totalChannels() {
        return layers.stream().mapToInt(BatchNormLayer::channels).sum();
    }

    /** SHA-256 of the original model bytes, as lowercase hex. */
    public String fingerprintHex() {
        return java.util.HexFormat.of().formatHex(sourceFingerprint);
    }
}
