package io.adastream.adapt.onnx;

/**
 * One inference-mode BatchNormalization node of a model: where it sits in the graph and its source
 * (training) statistics. {@code index} is the layer's position in the adaptive model's contract.
 */
public record BatchNormLayer(
        int index,
        String nodeName,
        String input,
        String output,
        int channels,
        float epsilon,
        float[] sourceMean,
        float[] sourceVar,
        int opset) {

    /** The name to show for this layer: the node name, or its output tensor when the node is unnamed. */
    public String displayName() {
        return nodeName.isEmpty() ? output : nodeName;
    }
}
