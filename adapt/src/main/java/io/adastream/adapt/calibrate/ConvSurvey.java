package io.adastream.adapt.calibrate;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Classifies the convolutions of a model's main graph from its structure alone: followed by a BatchNormalization
 * already, a head (its output reaches a model output without passing another convolution), or a candidate for a
 * calibrated layer. Whether an output has a single spatial position needs shapes and is decided on the frames.
 */
public final class ConvSurvey {

    private ConvSurvey() {
    }

    /** The convolutions in graph order with their structural role. */
    public static List<ConvSite> survey(GraphProto graph) {
        Map<String, List<NodeProto>> consumers = new HashMap<>();
        for (NodeProto n : graph.getNodeList()) {
            for (String in : n.getInputList()) {
                if (!in.isEmpty()) {
                    consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
                }
            }
        }
        Set<String> outputs = new HashSet<>();
        for (ValueInfoProto o : graph.getOutputList()) {
            outputs.add(o.getName());
        }
        List<ConvSite> sites = new ArrayList<>();
        for (int i = 0; i < graph.getNodeCount(); i++) {
            NodeProto node = graph.getNode(i);
            if (!isConvolution(node) || node.getOutputCount() == 0) {
                continue;
            }
            String out = node.getOutput(0);
            String name = node.getName().isEmpty() ? out : node.getName();
            ConvSite.Role role;
            if (feedsBatchNorm(out, consumers)) {
                role = ConvSite.Role.NORMALIZED;
            } else if (reachesOutputWithoutConvolution(out, consumers, outputs)) {
                role = ConvSite.Role.HEAD;
            } else {
                role = ConvSite.Role.CANDIDATE;
            }
            sites.add(new ConvSite(i, name, node.getOpType(), out, role));
        }
        return sites;
    }

    static boolean isConvolution(NodeProto node) {
        return (node.getOpType().equals("Conv") || node.getOpType().equals("ConvTranspose"))
                && (node.getDomain().isEmpty() || node.getDomain().equals("ai.onnx"));
    }

    private static boolean feedsBatchNorm(String tensor, Map<String, List<NodeProto>> consumers) {
        for (NodeProto c : consumers.getOrDefault(tensor, List.of())) {
            if (c.getOpType().equals("BatchNormalization") && c.getInputCount() > 0 && c.getInput(0).equals(tensor)) {
                return true;
            }
        }
        return false;
    }

    /** Walks forward from {@code start} through every node except convolutions; true if a graph output is met. */
    private static boolean reachesOutputWithoutConvolution(String start, Map<String, List<NodeProto>> consumers,
                                                           Set<String> outputs) {
        Deque<String> pending = new ArrayDeque<>();
        Set<String> seen = new HashSet<>();
        pending.add(start);
        seen.add(start);
        while (!pending.isEmpty()) {
            String tensor = pending.poll();
            if (outputs.contains(tensor)) {
                return true;
            }
            for (NodeProto c : consumers.getOrDefault(tensor, List.of())) {
                if (isConvolution(c)) {
                    continue;
                }
                for (String next : c.getOutputList()) {
                    if (!next.isEmpty() && seen.add(next)) {
                        pending.add(next);
                    }
                }
            }
        }
        return false;
    }
}
