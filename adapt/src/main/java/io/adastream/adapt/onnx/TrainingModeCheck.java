package io.adastream.adapt.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.NodeProto;

import java.util.List;

/**
 * Tells a training-mode BatchNormalization from an inference-mode one. A node with {@code training_mode=1}
 * (opset 14 on), or one that declares any of the extra outputs (running or saved mean and variance; in opsets 9 to
 * 13 they make it a training node, from 14 they are only allowed in training mode) normalizes each batch with the
 * batch's own statistics, so rewriting it as inference-mode normalization would change what the model computes.
 */
final class TrainingModeCheck {

    private TrainingModeCheck() {
    }

    /** Why the node runs in training mode, or null for an inference-mode node. */
    static String problem(NodeProto node) {
        for (AttributeProto a : node.getAttributeList()) {
            if (a.getName().equals("training_mode") && a.getI() != 0) {
                return "runs in training mode (training_mode=" + a.getI() + ")";
            }
        }
        List<String> extras = node.getOutputList().stream().skip(1).filter(o -> !o.isEmpty()).toList();
        if (!extras.isEmpty()) {
            return "declares the training-mode outputs " + extras;
        }
        return null;
    }

    /** The one-line refusal for a model holding such a node. */
    static String refusal(String nodeName, String problem) {
        return "BatchNormalization '" + nodeName + "' " + problem + ", so it normalizes with each batch's own "
                + "statistics, not its stored ones; export the model for inference (model.eval() before "
                + "torch.onnx.export)";
    }
}
