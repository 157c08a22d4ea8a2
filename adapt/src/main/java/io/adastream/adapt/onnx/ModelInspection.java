package io.adastream.adapt.onnx;

import java.util.List;

/**
 * What {@link BatchNormInspector} found in a model: the BatchNormalization nodes that can be adapted and
 * those that cannot, with the reason for each, and the one-line reasons (if any) why the whole model must be
 * refused (a node in training mode, invalid statistics).
 */
public record ModelInspection(
        int opset,
        String fingerprintHex,
        boolean alreadyRewritten,
        List<BatchNormLayer> layers,
        List<SkippedNode> skipped,
        List<Refusal> refusals) {

    /** An inspection with nothing that refuses the whole model. */
    public ModelInspection(int opset, String fingerprintHex, boolean alreadyRewritten, List<BatchNormLayer> layers,
                           List<SkippedNode> skipped) {
        this(opset, fingerprintHex, alreadyRewritten, layers, skipped, List.of());
    }

    /** Why the whole model cannot be adapted: the documented reason and one line for an operator. */
    public record Refusal(ModelFormatException.Reason reason, String message) {
    }

    /** A BatchNormalization node left as it is, and why. */
    public record SkippedNode(String nodeName, String reason) {
    }

    /** Whether the rewrite can adapt this model (at least one eligible layer, not rewritten yet, no refusal). */
    public boolean adaptable() {
        return !alreadyRewritten && !layers.isEmpty() && refusals.isEmpty();
    }

    /** Total channel count over all adaptable layers. */
    public int totalChannels() {
        return layers.stream().mapToInt(BatchNormLayer::channels).sum();
    }
}
