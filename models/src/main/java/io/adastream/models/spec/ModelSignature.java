package io.adastream.models.spec;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model's inputs and outputs as ONNX Runtime reports them (name, shape with -1 for a symbolic dimension, element
 * type), and for each output the operator types that produce it (the node writing it and, for a Concat, its
 * inputs' producers), which tell a probability from a raw value.
 */
public record ModelSignature(Map<String, TensorInfo> inputs, Map<String, TensorInfo> outputs,
                             Map<String, List<String>> producers) {

    /** The signature of a serialized model. */
    public static ModelSignature of(byte[] onnx, GraphProto graph) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setSessionLogLevel(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
            try (OrtSession session = env.createSession(onnx, options)) {
                return new ModelSignature(tensors(session.getInputInfo()), tensors(session.getOutputInfo()), producers(graph));
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
}
