package io.adastream.adapt.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Lists the BatchNormalization nodes of a model's main graph and decides which ones the rewrite can adapt:
 * a node is eligible when its scale, bias, mean and variance are FLOAT initializers of one length. A node in
 * training mode ({@link TrainingModeCheck}) or with invalid statistics ({@link StatisticsCheck}) refuses the whole
 * model; nodes inside control-flow subgraphs are listed as not adapted.
 */
public final class BatchNormInspector {

    public static final int MIN_OPSET = 9;
    public static final int MAX_OPSET = 21;
    static final float DEFAULT_EPSILON = 1e-5f;
    /** Why a BatchNormalization node inside an If, Loop or Scan body is left as it is. */
    public static final String SUBGRAPH_REASON = "BatchNormalization inside a control-flow subgraph is not supported";

    private BatchNormInspector() {
    }

    /** Inspects a model; never throws for a parsed model. */
    public static ModelInspection inspect(OnnxModel model) {
        GraphProto graph = model.proto().getGraph();
        Map<String, TensorProto> initializers = new HashMap<>();
        for (TensorProto t : graph.getInitializerList()) {
            initializers.put(t.getName(), t);
        }
        List<BatchNormLayer> layers = new ArrayList<>();
        List<ModelInspection.SkippedNode> skipped = new ArrayList<>();
        List<ModelInspection.Refusal> refusals = new ArrayList<>();
        for (NodeProto node : graph.getNodeList()) {
            if (!isBatchNorm(node)) {
                continue;
            }
            String name = displayName(node);
            String training = TrainingModeCheck.problem(node);
            if (training != null) {
                skipped.add(new ModelInspection.SkippedNode(name, training));
                refusals.add(new ModelInspection.Refusal(ModelFormatException.Reason.UNSUPPORTED,
                        TrainingModeCheck.refusal(name, training)));
                continue;
            }
            String problem = eligibilityProblem(node, initializers);
            if (problem != null) {
                skipped.add(new ModelInspection.SkippedNode(name, problem));
                continue;
            }
            float[] scale = Tensors.toFloatArray(initializers.get(node.getInput(1)));
            float[] bias = Tensors.toFloatArray(initializers.get(node.getInput(2)));
            float[] mean = Tensors.toFloatArray(initializers.get(node.getInput(3)));
            float[] var = Tensors.toFloatArray(initializers.get(node.getInput(4)));
            float epsilon = epsilon(node);
            String invalid = StatisticsCheck.problem(name, scale, bias, mean, var, epsilon);
            if (invalid != null) {
                skipped.add(new ModelInspection.SkippedNode(name, "invalid statistics"));
                refusals.add(new ModelInspection.Refusal(ModelFormatException.Reason.INVALID, invalid));
                continue;
            }
            layers.add(new BatchNormLayer(layers.size(), node.getName(), node.getInput(0), node.getOutput(0),
                    scale.length, epsilon, mean, var, model.opset()));
        }
        for (GraphProto sub : Subgraphs.nestedIn(graph.getNodeList())) {
            for (NodeProto node : sub.getNodeList()) {
                if (isBatchNorm(node)) {
                    skipped.add(new ModelInspection.SkippedNode(displayName(node), SUBGRAPH_REASON));
                }
            }
        }
        return new ModelInspection(model.opset(), model.fingerprintHex(), isRewritten(model), List.copyOf(layers),
                List.copyOf(skipped), List.copyOf(refusals));
    }

    private static String displayName(NodeProto node) {
        if (!node.getName().isEmpty()) {
            return node.getName();
        }
        return node.getOutputCount() > 0 ? node.getOutput(0) : "(unnamed)";
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

    private static String eligibilityProblem(NodeProto node, Map<String, TensorProto> initializers) {
        if (node.getOutputCount() < 1 || node.getOutput(0).isEmpty()) {
            return "has no output";
        }
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
        if (channels == 0) {
            return "has no channels";
        }
        return null;
    }
}
