package io.adastream.adapt.export;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import io.adastream.adapt.onnx.BatchNormLayer;
import io.adastream.adapt.onnx.OnnxModel;
import io.adastream.adapt.onnx.Tensors;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a standard ONNX model for one domain: the original graph, unchanged but for the mean and variance of
 * each adapted BatchNormalization node, which become the domain's statistics. Edge devices run it with any
 * ONNX runtime and no AdaStream inputs.
 */
public final class DomainModelExporter {

    private DomainModelExporter() {
    }

    /**
     * Exports the original model with per-layer statistics baked in.
     *
     * @param original the model the layers were read from (not the rewritten one)
     * @param layers   its adapted layers, in layer order
     * @param mean     per layer, the domain's mean per channel
     * @param var      per layer, the domain's variance per channel
     * @param domain   a label recorded in the model's metadata
     * @throws IllegalArgumentException if the statistics do not match the layers or are not finite and non-negative
     */
    public static byte[] export(OnnxModel original, List<BatchNormLayer> layers, float[][] mean, float[][] var,
                                String domain) {
        if (mean.length != layers.size() || var.length != layers.size()) {
            throw new IllegalArgumentException("expected statistics for " + layers.size() + " layers, got "
                    + mean.length + " means and " + var.length + " variances");
        }
        Map<String, BatchNormLayer> byOutput = new HashMap<>();
        for (BatchNormLayer l : layers) {
            checkStatistics(l, mean[l.index()], var[l.index()]);
            byOutput.put(l.output(), l);
        }
        GraphProto graph = original.proto().getGraph();
        GraphProto.Builder out = graph.toBuilder().clearNode();
        Set<String> replaced = new HashSet<>();
        Set<String> taken = new HashSet<>();
        graph.getInitializerList().forEach(t -> taken.add(t.getName()));
        int found = 0;
        for (NodeProto node : graph.getNodeList()) {
            BatchNormLayer layer = node.getOpType().equals("BatchNormalization") && node.getOutputCount() > 0
                    ? byOutput.get(node.getOutput(0)) : null;
            if (layer == null) {
                out.addNode(node);
                continue;
            }
            found++;
            // fresh initializers per layer: exporters may share one tensor between several nodes
            String meanName = fresh(taken, "adastream.domain_mean." + layer.index());
            String varName = fresh(taken, "adastream.domain_var." + layer.index());
            long[] dims = {layer.channels()};
            out.addInitializer(Tensors.floatTensor(meanName, dims, mean[layer.index()]));
            out.addInitializer(Tensors.floatTensor(varName, dims, var[layer.index()]));
            replaced.add(node.getInput(3));
            replaced.add(node.getInput(4));
            out.addNode(node.toBuilder().setInput(3, meanName).setInput(4, varName));
        }
        if (found != layers.size()) {
            throw new IllegalArgumentException("the model has " + found + " of the " + layers.size()
                    + " layers; was it exported from another model?");
        }
        dropUnused(out, replaced);
        ModelProto model = original.proto().toBuilder()
                .setGraph(out)
                .addMetadataProps(StringStringEntryProto.newBuilder().setKey("adastream.domain").setValue(domain))
                .addMetadataProps(StringStringEntryProto.newBuilder().setKey("adastream.source.sha256")
                        .setValue(original.fingerprintHex()))
                .build();
        return model.toByteArray();
    }

    private static void checkStatistics(BatchNormLayer l, float[] mean, float[] var) {
        if (mean.length != l.channels() || var.length != l.channels()) {
            throw new IllegalArgumentException("layer " + l.index() + " has " + l.channels() + " channels, got "
                    + mean.length + " means and " + var.length + " variances");
        }
        for (int c = 0; c < mean.length; c++) {
            if (!Float.isFinite(mean[c]) || !Float.isFinite(var[c]) || var[c] < 0) {
                throw new IllegalArgumentException("layer " + l.index() + " channel " + c
                        + " has a non-finite mean or a negative or non-finite variance");
            }
        }
    }

    private static String fresh(Set<String> taken, String base) {
        String name = base;
        for (int i = 1; !taken.add(name); i++) {
            name = base + "_" + i;
        }
        return name;
    }

    private static void dropUnused(GraphProto.Builder graph, Set<String> candidates) {
        Set<String> used = new HashSet<>();
        graph.getNodeList().forEach(n -> used.addAll(n.getInputList()));
        graph.getOutputList().forEach(o -> used.add(o.getName()));
        List<TensorProto> keep = graph.getInitializerList().stream()
                .filter(t -> !candidates.contains(t.getName()) || used.contains(t.getName())).toList();
        var inputs = graph.getInputList().stream()
                .filter(i -> !candidates.contains(i.getName()) || used.contains(i.getName())).toList();
        graph.clearInitializer().addAllInitializer(keep);
        graph.clearInput().addAllInput(inputs);
    }
}
