package io.adastream.adapt.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Lists the BatchNormalization nodes of a model's main graph and decides which ones the rewrite can adapt:
 * a node is eligible when its scale, bias, mean and variance are FLOAT initializers of one length and any
 * training-mode extra outputs are unused.
 */
public final class BatchNormInspector {

    public static final int MIN_OPSET = 9;
    public static final int MAX_OPSET = 21;
    static final float DEFAULT_EPSILON = 1e-5f;

    private BatchNormInspector() {
    }

    /** Inspects a model; never throws for a parsed model. */
    public static ModelInspection inspect(OnnxModel model) {
        GraphProto graph = model.proto().getGraph();
        Map<String, TensorProto> initializers = new HashMap<>();
        for (TensorProto t : graph.getInitializerList()) {
            initializers.put(t.getName(), t);
        }
        Set<String> consumed = consumedNames(graph);
        List<BatchNormLayer> layers = new ArrayList<>();
        List<ModelInspection.SkippedNode> skipped = new ArrayList<>();
        for (NodeProto node : graph.getNodeList()) {
            if (!isBatchNorm(node)) {
                continue;
            }
            String problem = eligibilityProblem(node, initializers, consumed);
            String name = node.getName().isEmpty() ? node.getOutput(0) : node.getName();
            if (problem != null) {
                skipped.add(new ModelInspection.SkippedNode(name, problem));
                continue;
            }
            float[] scale = Tensors.toFloatArray(initializers.get(node.getInput(1)));
            layers.add(new BatchNormLayer(layers.size(), node.getName(), node.getInput(0), node.getOutput(0),
                    scale.length, epsilon(node),
                    Tensors.toFloatArray(initializers.get(node.getInput(3))),
                    Tensors.toFloatArray(initializers.get(node.getInput(4))),
                    model.opset()));
        }
        return new ModelInspection(model.opset(), model.fingerprintHex(), isRewritten(model), List.copyOf(layers),
                List.copyOf(skipped));
    }

    static boolean isBatchNorm(NodeProto node) {
        return node.getOpType().equals("BatchNormalization")
                && (node.getDomain().isEmpty() || node.getDomain().equals("ai.onnx"));
    }

    /** True when the model carries the rewrite's metadata or its blend input. */
    static boolean isRewritten(OnnxModel model) {
        for (StringStringEntryProto p : model.proto().getMetadataPropsList()) {
            if (p.getKey().equals(AdaptiveNames.METADATA_KEY)) {
                return true;
            }
        }
        for (ValueInfoProto in : model.proto().getGraph().getInputList()) {
            if (in.getName().equals(AdaptiveNames.BLEND)) {
                return true;
            }
        }
        return false;
    }

    static float epsilon(NodeProto node) {
        for (AttributeProto a : node.getAttributeList()) {
            if (a.getName().equals("epsilon")) {
                return a.getF();
            }
        }
        return DEFAULT_EPSILON;
    }

    private static String eligibilityProblem(NodeProto node, Map<String, TensorProto> initializers, Set<String> consumed) {
        if (node.getInputCount() < 5) {
            return "has " + node.getInputCount() + " inputs, expected 5";
        }
        String[] roles = {"scale", "bias", "mean", "variance"};
        long channels = -1;
        for (int i = 1; i <= 4; i++) {
            TensorProto t = initializers.get(node.getInput(i));
            if (t == null) {
                return roles[i - 1] + " '" + node.getInput(i) + "' is not a constant initializer";
            }
            if (t.getDataType() != TensorProto.DataType.FLOAT_VALUE) {
                return roles[i - 1] + " is " + TensorProto.DataType.forNumber(t.getDataType()) + ", only FLOAT is supported";
            }
            if (t.getDimsCount() != 1) {
                return roles[i - 1] + " has rank " + t.getDimsCount() + ", expected 1";
            }
            if (channels >= 0 && t.getDims(0) != channels) {
                return "scale, bias, mean and variance differ in length";
            }
            channels = t.getDims(0);
        }
        for (int i = 1; i < node.getOutputCount(); i++) {
            String extra = node.getOutput(i);
            if (!extra.isEmpty() && consumed.contains(extra)) {
                return "its training-mode output '" + extra + "' is used by the graph";
            }
        }
        return null;
    }

    /** Names read by some node or exposed as graph outputs. */
    static Set<String> consumedNames(GraphProto graph) {
        Set<String> used = new HashSet<>();
        for (NodeProto n : graph.getNodeList()) {
            used.addAll(n.getInputList());
        }
        for (ValueInfoProto o : graph.getOutputList()) {
            used.add(o.getName());
        }
        return used;
    }
}
