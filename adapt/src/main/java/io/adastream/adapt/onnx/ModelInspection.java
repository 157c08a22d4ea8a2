package io.adastream.adapt.onnx;

import java.util.List;

/**
 * What {@link BatchNormInspector} found in a model: the BatchNormalization nodes that can be adapted and
 * those that cannot, with the reason for each.
 */
public record ModelInspection(
        int opset,
        String fingerprintHex,
        boolean alreadyRewritten,
        List<BatchNormLayer> layers,
        List<SkippedNode> skipped) {

    /** A BatchNormalization node left as it is, and why. */
    public record SkippedNode(String nodeName, String reason) {
    }

    /** Whether the rewrite can adapt this model (at least one eligible layer, not rewritten yet). */
    public boolean adaptable() {
        return !alreadyRewritten && !layers.isEmpty();
    }

    /** Total channel count over all adaptable layers. */
    public int totalChannels() {
        return layers.stream().mapToInt(BatchNormLayer::channels).sum();
    }
}
