package io.adastream.models.spec;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;

import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A model's inputs and outputs as ONNX Runtime reports them (name, shape with -1 for a symbolic dimension, element
 * type), for each output the operator types that produce it (the node writing it and, for a Concat, its inputs'
 * producers), which tell a probability from a raw value, and the outputs that are convolution outputs only
 * rearranged ({@code rawHeads}: nothing but Concat, Reshape, Transpose, Flatten, Squeeze, Unsqueeze or Identity between
 * them and Conv nodes), which tell raw box offsets from decoded boxes.
 */
public record ModelSignature(Map<String, TensorInfo> inputs, Map<String, TensorInfo> outputs,
                             Map<String, List<String>> producers, Set<String> rawHeads) {

    private static final Set<String> LAYOUT_OPS = Set.of("Concat", "Reshape", "Transpose", "Flatten", "Squeeze",
            "Unsqueeze", "Identity");

    /** The signature of a serialized model. */
    public static ModelSignature of(byte[] onnx, GraphProto graph) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setSessionLogLevel(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
            try (OrtSession session = env.createSession(onnx, options)) {
                return new ModelSignature(tensors(session.getInputInfo()), tensors(session.getOutputInfo()), producers(graph),
                        rawHeads(graph));
            }
        }
    }

    /** The shape of an output. */
    public long[] shape(String output) {
        return outputs.get(output).getShape();
    }

    private static Map<String, TensorInfo> tensors(Map<String, NodeInfo> infos) {
        Map<String, TensorInfo> out = new LinkedHashMap<>();
        infos.forEach((name, info) -> {
            if (info.getInfo() instanceof TensorInfo t) {
                out.put(name, t);
            }
        });
        return out;
    }

    private static Map<String, List<String>> producers(GraphProto graph) {
        Map<String, NodeProto> writer = new HashMap<>();
        for (NodeProto n : graph.getNodeList()) {
            for (String o : n.getOutputList()) {
                writer.put(o, n);
            }
        }
        Map<String, List<String>> producers = new HashMap<>();
        for (var output : graph.getOutputList()) {
            List<String> ops = new ArrayList<>();
            NodeProto n = writer.get(output.getName());
            if (n != null) {
                ops.add(n.getOpType());
                if (n.getOpType().equals("Concat")) {
                    for (String in : n.getInputList()) {
                        NodeProto p = writer.get(in);
                        ops.add(p == null ? "" : p.getOpType());
                    }
                }
            }
            producers.put(output.getName(), ops);
        }
        return producers;
    }

    private static Set<String> rawHeads(GraphProto graph) {
        Map<String, NodeProto> writer = new HashMap<>();
        for (NodeProto n : graph.getNodeList()) {
            for (String o : n.getOutputList()) {
                writer.put(o, n);
            }
        }
        Set<String> heads = new HashSet<>();
        for (var output : graph.getOutputList()) {
            if (onlyRearrangesConvolutions(output.getName(), writer)) {
                heads.add(output.getName());
            }
        }
        return Set.copyOf(heads);
    }

    private static boolean onlyRearrangesConvolutions(String tensor, Map<String, NodeProto> writer) {
        Deque<String> pending = new ArrayDeque<>(List.of(tensor));
        Set<String> seen = new HashSet<>();
        while (!pending.isEmpty()) {
            String t = pending.pop();
            if (!seen.add(t)) {
                continue;
            }
            NodeProto n = writer.get(t);
            if (n == null || !(n.getOpType().equals("Conv") || LAYOUT_OPS.contains(n.getOpType()))) {
                return false;
            }
            if (n.getOpType().equals("Concat")) {
                pending.addAll(n.getInputList());
            } else if (!n.getOpType().equals("Conv") && n.getInputCount() > 0) {
                pending.add(n.getInput(0));   // the data input; the others are shapes and axes
            }
        }
        return true;
    }
}
