package io.adastream.adapt.testing;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import io.adastream.adapt.onnx.Tensors;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Test-side edits of BatchNormalization nodes: folding them into the preceding convolution as exporters do, and
 * restating a node for new statistics while keeping the function it computes.
 */
public final class BatchNormSurgery {

    private BatchNormSurgery() {
    }

    /**
     * Folds every BatchNormalization whose input is a Conv output read by nothing else: {@code W'[o] = W[o]·k_o},
     * {@code b'[o] = (b[o] − μ_o)·k_o + β_o} with {@code k = γ/sqrt(σ² + ε)} (computed in double); the conv takes
     * over the BatchNorm's output name.
     */
    public static ModelProto fold(ModelProto model) {
        GraphProto graph = model.getGraph();
        Map<String, TensorProto> init = initializers(graph);
        Map<String, Integer> readers = new HashMap<>();
        for (NodeProto n : graph.getNodeList()) {
            n.getInputList().forEach(i -> readers.merge(i, 1, Integer::sum));
        }
        Map<String, NodeProto> convByOutput = new HashMap<>();
        for (NodeProto n : graph.getNodeList()) {
            if (n.getOpType().equals("Conv")) {
                convByOutput.put(n.getOutput(0), n);
            }
        }
        Map<String, NodeProto> foldedConv = new HashMap<>();
        List<String> droppedBn = new ArrayList<>();
        GraphProto.Builder out = graph.toBuilder();
        for (NodeProto bn : graph.getNodeList()) {
            if (!bn.getOpType().equals("BatchNormalization")) {
                continue;
            }
            NodeProto conv = convByOutput.get(bn.getInput(0));
            if (conv == null || readers.get(bn.getInput(0)) != 1 || conv.getInputCount() < 2) {
                continue;
            }
            float[] gamma = Tensors.toFloatArray(init.get(bn.getInput(1)));
            float[] beta = Tensors.toFloatArray(init.get(bn.getInput(2)));
            float[] mu = Tensors.toFloatArray(init.get(bn.getInput(3)));
            float[] var = Tensors.toFloatArray(init.get(bn.getInput(4)));
            double eps = epsilon(bn);
            TensorProto wt = init.get(conv.getInput(1));
            float[] w = Tensors.toFloatArray(wt);
            float[] b = conv.getInputCount() > 2 ? Tensors.toFloatArray(init.get(conv.getInput(2))) : new float[gamma.length];
            int per = w.length / gamma.length;
            float[] w2 = new float[w.length];
            float[] b2 = new float[gamma.length];
            for (int o = 0; o < gamma.length; o++) {
                double k = gamma[o] / Math.sqrt(var[o] + eps);
                for (int i = 0; i < per; i++) {
                    w2[o * per + i] = (float) (w[o * per + i] * k);
                }
                b2[o] = (float) ((b[o] - (double) mu[o]) * k + beta[o]);
            }
            String wName = conv.getInput(1) + "_folded";
            String bName = conv.getOutput(0) + "_folded_bias";
            long[] dims = wt.getDimsList().stream().mapToLong(Long::longValue).toArray();
            out.addInitializer(Tensors.floatTensor(wName, dims, w2));
            out.addInitializer(Tensors.floatTensor(bName, new long[]{b2.length}, b2));
            NodeProto.Builder folded = conv.toBuilder().setInput(1, wName).setOutput(0, bn.getOutput(0));
            if (conv.getInputCount() > 2) {
                folded.setInput(2, bName);
            } else {
                folded.addInput(bName);
            }
            foldedConv.put(conv.getOutput(0), folded.build());
            droppedBn.add(bn.getOutput(0));
        }
        out.clearNode();
        for (NodeProto n : graph.getNodeList()) {
            if (n.getOpType().equals("BatchNormalization") && droppedBn.contains(n.getOutput(0))) {
                continue;
            }
            out.addNode(foldedConv.getOrDefault(n.getOpType().equals("Conv") ? n.getOutput(0) : "", n));
        }
        return model.toBuilder().setGraph(withoutUnusedInitializers(out)).build();
    }

    /**
     * Gives the eligible BatchNormalization nodes (in graph order, as the rewrite numbers them) the statistics
     * {@code mean[l], var[l]} and the epsilon {@code epsilon} (null: keep), restating scale and bias so that the node
     * computes the same function as before: {@code γ' = γ·sqrt(v'+ε')/sqrt(σ²+ε)}, {@code β' = β + γ(μ' − μ)/sqrt(σ²+ε)}.
     */
    public static ModelProto restate(ModelProto model, float[][] mean, float[][] var, Float epsilon) {
        GraphProto graph = model.getGraph();
        Map<String, TensorProto> init = initializers(graph);
        GraphProto.Builder out = graph.toBuilder().clearNode();
        int layer = 0;
        for (NodeProto bn : graph.getNodeList()) {
            if (!bn.getOpType().equals("BatchNormalization") || layer >= mean.length) {
                out.addNode(bn);
                continue;
            }
            float[] gamma = Tensors.toFloatArray(init.get(bn.getInput(1)));
            float[] beta = Tensors.toFloatArray(init.get(bn.getInput(2)));
            float[] mu = Tensors.toFloatArray(init.get(bn.getInput(3)));
            float[] sigma2 = Tensors.toFloatArray(init.get(bn.getInput(4)));
            double eps = epsilon(bn);
            double newEps = epsilon == null ? eps : epsilon;
            int c = gamma.length;
            float[] g2 = new float[c];
            float[] b2 = new float[c];
            for (int k = 0; k < c; k++) {
                double s = Math.sqrt(sigma2[k] + eps);
                g2[k] = (float) (gamma[k] * Math.sqrt(var[layer][k] + newEps) / s);
                b2[k] = (float) (beta[k] + gamma[k] * ((double) mean[layer][k] - mu[k]) / s);
            }
            String p = bn.getOutput(0) + "_restated_";
            long[] d = {c};
            out.addInitializer(Tensors.floatTensor(p + "scale", d, g2));
            out.addInitializer(Tensors.floatTensor(p + "bias", d, b2));
            out.addInitializer(Tensors.floatTensor(p + "mean", d, mean[layer].clone()));
            out.addInitializer(Tensors.floatTensor(p + "var", d, var[layer].clone()));
            NodeProto.Builder nb = bn.toBuilder().setInput(1, p + "scale").setInput(2, p + "bias")
                    .setInput(3, p + "mean").setInput(4, p + "var");
            if (epsilon != null) {
                nb.clearAttribute();
                for (AttributeProto a : bn.getAttributeList()) {
                    if (!a.getName().equals("epsilon")) {
                        nb.addAttribute(a);
                    }
                }
                nb.addAttribute(AttributeProto.newBuilder().setName("epsilon").setType(AttributeProto.AttributeType.FLOAT)
                        .setF(epsilon));
            }
            out.addNode(nb);
            layer++;
        }
        return model.toBuilder().setGraph(withoutUnusedInitializers(out)).build();
    }

    /** Drops initializers (and their graph-input entries) that no node reads any more. */
    private static GraphProto.Builder withoutUnusedInitializers(GraphProto.Builder g) {
        java.util.Set<String> used = new java.util.HashSet<>();
        g.getNodeList().forEach(n -> used.addAll(n.getInputList()));
        g.getOutputList().forEach(o -> used.add(o.getName()));
        java.util.Set<String> dropped = new java.util.HashSet<>();
        List<TensorProto> keep = new ArrayList<>();
        for (TensorProto t : g.getInitializerList()) {
            if (used.contains(t.getName())) {
                keep.add(t);
            } else {
                dropped.add(t.getName());
            }
        }
        List<ai.onnx.proto.OnnxMl.ValueInfoProto> inputs = g.getInputList().stream()
                .filter(i -> !dropped.contains(i.getName())).toList();
        return g.clearInitializer().addAllInitializer(keep).clearInput().addAllInput(inputs);
    }

    private static double epsilon(NodeProto bn) {
        for (AttributeProto a : bn.getAttributeList()) {
            if (a.getName().equals("epsilon")) {
                return a.getF();
            }
        }
        return 1e-5;
    }

    private static Map<String, TensorProto> initializers(GraphProto graph) {
        Map<String, TensorProto> init = new HashMap<>();
        graph.getInitializerList().forEach(t -> init.put(t.getName(), t));
        return init;
    }
}
