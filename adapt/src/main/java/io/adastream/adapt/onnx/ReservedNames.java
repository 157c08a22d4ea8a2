package io.adastream.adapt.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Keeps the names of the adaptive graph's contract ({@link AdaptiveNames}: {@code adastream.blend},
 * {@code adastream.mean.<l>}, {@code adastream.var.<l>}, {@code adastream.moment.mean.<l>},
 * {@code adastream.moment.var.<l>}) free in a model about to be rewritten. A tensor of the model's own graph (or of
 * its subgraphs) that has one of these names is renamed to a fresh name, everywhere it appears; the model's inputs
 * and outputs are its interface and keep their names, so one of those with a reserved name refuses the model.
 */
final class ReservedNames {

    private static final Pattern RESERVED = Pattern.compile(
            Pattern.quote(AdaptiveNames.BLEND) + "|adastream\\.(mean|var|moment\\.mean|moment\\.var)\\.[0-9]+");

    private ReservedNames() {
    }

    static boolean isReserved(String name) {
        return RESERVED.matcher(name).matches();
    }

    /**
     * The model with its own tensors renamed off the reserved names: the same instance when nothing clashes.
     *
     * @throws ModelFormatException UNSUPPORTED when a graph input or output has a reserved name
     */
    static OnnxModel free(OnnxModel model) throws ModelFormatException {
        GraphProto graph = model.proto().getGraph();
        for (ValueInfoProto v : graph.getInputList()) {
            refuseInterfaceName("input", v.getName());
        }
        for (ValueInfoProto v : graph.getOutputList()) {
            refuseInterfaceName("output", v.getName());
        }
        Set<String> all = new HashSet<>();
        collect(graph, all);
        Map<String, String> renames = new HashMap<>();
        for (String name : all) {
            if (isReserved(name)) {
                String fresh = name + "_own";
                for (int i = 1; all.contains(fresh) || renames.containsValue(fresh); i++) {
                    fresh = name + "_own_" + i;
                }
                renames.put(name, fresh);
            }
        }
        if (renames.isEmpty()) {
            return model;
        }
        ModelProto renamed = model.proto().toBuilder().setGraph(rename(graph, renames)).build();
        return model.withProto(renamed);
    }

    private static void refuseInterfaceName(String kind, String name) throws ModelFormatException {
        if (isReserved(name)) {
            throw new ModelFormatException(ModelFormatException.Reason.UNSUPPORTED, "the model's " + kind + " '" + name
                    + "' has a name the adaptive graph reserves for its own inputs and outputs (adastream.blend, "
                    + "adastream.mean.<l>, adastream.var.<l>, adastream.moment.mean.<l>, adastream.moment.var.<l>); "
                    + "rename it in the model");
        }
    }

    private static void collect(GraphProto g, Set<String> names) {
        g.getInputList().forEach(v -> names.add(v.getName()));
        g.getOutputList().forEach(v -> names.add(v.getName()));
        g.getValueInfoList().forEach(v -> names.add(v.getName()));
        g.getInitializerList().forEach(t -> names.add(t.getName()));
        for (NodeProto n : g.getNodeList()) {
            names.addAll(n.getInputList());
            names.addAll(n.getOutputList());
            for (GraphProto sub : Subgraphs.of(n)) {
                collect(sub, names);
            }
        }
    }

    private static GraphProto rename(GraphProto g, Map<String, String> renames) {
        GraphProto.Builder b = g.toBuilder();
        for (int i = 0; i < b.getInputCount(); i++) {
            b.setInput(i, renamed(b.getInput(i), renames));
        }
        for (int i = 0; i < b.getOutputCount(); i++) {
            b.setOutput(i, renamed(b.getOutput(i), renames));
        }
        for (int i = 0; i < b.getValueInfoCount(); i++) {
            b.setValueInfo(i, renamed(b.getValueInfo(i), renames));
        }
        for (int i = 0; i < b.getInitializerCount(); i++) {
            TensorProto t = b.getInitializer(i);
            if (renames.containsKey(t.getName())) {
                b.setInitializer(i, t.toBuilder().setName(renames.get(t.getName())));
            }
        }
        for (int i = 0; i < b.getNodeCount(); i++) {
            b.setNode(i, rename(b.getNode(i), renames));
        }
        return b.build();
    }

    private static NodeProto rename(NodeProto n, Map<String, String> renames) {
        NodeProto.Builder b = n.toBuilder();
        for (int i = 0; i < b.getInputCount(); i++) {
            b.setInput(i, renames.getOrDefault(b.getInput(i), b.getInput(i)));
        }
        for (int i = 0; i < b.getOutputCount(); i++) {
            b.setOutput(i, renames.getOrDefault(b.getOutput(i), b.getOutput(i)));
        }
        for (int i = 0; i < b.getAttributeCount(); i++) {
            AttributeProto a = b.getAttribute(i);
            if (a.hasG() || a.getGraphsCount() > 0) {
                AttributeProto.Builder ab = a.toBuilder();
                if (a.hasG()) {
                    ab.setG(rename(a.getG(), renames));
                }
                for (int k = 0; k < a.getGraphsCount(); k++) {
                    ab.setGraphs(k, rename(a.getGraphs(k), renames));
                }
                b.setAttribute(i, ab);
            }
        }
        return b.build();
    }

    private static ValueInfoProto renamed(ValueInfoProto v, Map<String, String> renames) {
        String to = renames.get(v.getName());
        return to == null ? v : v.toBuilder().setName(to).build();
    }
}
