package io.adastream.adapt.onnx;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;

import java.util.HashSet;
import java.util.Set;

/**
 * Hands out tensor and node names that clash with nothing already in a graph (its subgraphs included) nor with
 * each other.
 */
public final class NameAllocator {

    private final Set<String> taken = new HashSet<>();

    public NameAllocator(GraphProto graph) {
        reserve(graph);
    }

    private void reserve(GraphProto graph) {
        for (ValueInfoProto v : graph.getInputList()) {
            taken.add(v.getName());
        }
        for (ValueInfoProto v : graph.getOutputList()) {
            taken.add(v.getName());
        }
        for (ValueInfoProto v : graph.getValueInfoList()) {
            taken.add(v.getName());
        }
        for (TensorProto t : graph.getInitializerList()) {
            taken.add(t.getName());
        }
        for (NodeProto n : graph.getNodeList()) {
            taken.add(n.getName());
            taken.addAll(n.getInputList());
            taken.addAll(n.getOutputList());
            for (GraphProto sub : Subgraphs.of(n)) {
                reserve(sub);
            }
        }
    }

    public boolean isTaken(String name) {
        return taken.contains(name);
    }

    /** {@code base} if free, else {@code base_1}, {@code base_2}, ... */
    public String fresh(String base) {
        String name = base;
        for (int i = 1; taken.contains(name); i++) {
            name = base + "_" + i;
        }
        taken.add(name);
        return name;
    }
}
