package io.adastream.adapt.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The control-flow subgraphs ({@code If} branches, {@code Loop} and {@code Scan} bodies) nested in a graph's nodes,
 * at every depth. A subgraph may read any tensor of the graphs around it by name.
 */
final class Subgraphs {

    private Subgraphs() {
    }

    /** The graphs held directly by a node's attributes. */
    static List<GraphProto> of(NodeProto node) {
        List<GraphProto> graphs = new ArrayList<>();
        for (AttributeProto a : node.getAttributeList()) {
            if (a.hasG()) {
                graphs.add(a.getG());
            }
            graphs.addAll(a.getGraphsList());
        }
        return graphs;
    }

    /** Every subgraph nested in these nodes, at any depth (protobuf's nesting limit bounds the depth). */
    static List<GraphProto> nestedIn(List<NodeProto> nodes) {
        List<GraphProto> all = new ArrayList<>();
        for (NodeProto n : nodes) {
            for (GraphProto g : of(n)) {
                all.add(g);
                all.addAll(nestedIn(g.getNodeList()));
            }
        }
        return all;
    }

    /** Names read by the nodes of every subgraph nested in these nodes: what they may take from outer scopes. */
    static Set<String> namesReadInside(List<NodeProto> nodes) {
        Set<String> read = new HashSet<>();
        for (GraphProto g : nestedIn(nodes)) {
            for (NodeProto n : g.getNodeList()) {
                read.addAll(n.getInputList());
            }
        }
        return read;
    }
}
