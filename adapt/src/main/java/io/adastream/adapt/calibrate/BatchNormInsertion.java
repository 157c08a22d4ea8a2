package io.adastream.adapt.calibrate;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import io.adastream.adapt.onnx.NameAllocator;
import io.adastream.adapt.onnx.Tensors;

import java.util.HashMap;
import java.util.Map;

/**
 * Puts a BatchNormalization node after each measured convolution: mean and variance are the measured population
 * statistics, scale {@code sqrt(var + ε)} and bias the mean, so that on the calibration data the node is the identity
 * {@code y = sqrt(var+ε)·(x − mean)/sqrt(var+ε) + mean = x}. The convolution's output is renamed and the new node
 * takes over its name, so every consumer is untouched.
 */
final class BatchNormInsertion {

    private BatchNormInsertion() {
    }

    static ModelProto insert(ModelProto model, java.util.List<CalibratedLayer> layers, float epsilon,
                             Map<String, String> metadata) {
        GraphProto graph = model.getGraph();
        NameAllocator names = new NameAllocator(graph);
        Map<Integer, CalibratedLayer> byNode = new HashMap<>();
        layers.forEach(l -> byNode.put(l.site().nodeIndex(), l));
        GraphProto.Builder out = graph.toBuilder().clearNode();
        boolean initializersAreInputs = model.getIrVersion() < 4;
        for (int i = 0; i < graph.getNodeCount(); i++) {
            NodeProto conv = graph.getNode(i);
            CalibratedLayer layer = byNode.get(i);
            if (layer == null) {
                out.addNode(conv);
                continue;
            }
            String base = layer.site().name() + "/adastream.calibrated";
            String raw = names.fresh(layer.site().output() + "/before_calibrated_bn");
            out.addNode(conv.toBuilder().setOutput(0, raw));
            int c = layer.channels();
            float[] mean = new float[c];
            float[] var = new float[c];
            float[] scale = new float[c];
            for (int k = 0; k < c; k++) {
                mean[k] = (float) layer.mean()[k];
                var[k] = (float) layer.variance()[k];
                scale[k] = (float) Math.sqrt(layer.variance()[k] + epsilon);
            }
            String[] inputs = {
                    initializer(out, names.fresh(base + ".scale"), scale, initializersAreInputs),
                    initializer(out, names.fresh(base + ".bias"), mean.clone(), initializersAreInputs),
                    initializer(out, names.fresh(base + ".mean"), mean, initializersAreInputs),
                    initializer(out, names.fresh(base + ".var"), var, initializersAreInputs)};
            NodeProto.Builder bn = NodeProto.newBuilder()
                    .setOpType("BatchNormalization")
                    .setName(names.fresh(base + "_bn"))
                    .addInput(raw)
                    .addOutput(layer.site().output())
                    .addAttribute(AttributeProto.newBuilder().setName("epsilon")
                            .setType(AttributeProto.AttributeType.FLOAT).setF(epsilon));
            for (String in : inputs) {
                bn.addInput(in);
            }
            out.addNode(bn);
        }
        ModelProto.Builder result = model.toBuilder().setGraph(out);
        metadata.forEach((k, v) -> result.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return result.build();
    }

    private static String initializer(GraphProto.Builder graph, String name, float[] values, boolean alsoInput) {
        graph.addInitializer(Tensors.floatTensor(name, new long[]{values.length}, values));
        if (alsoInput) {
            graph.addInput(ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
                    .setTensorType(TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE)
                            .setShape(TensorShapeProto.newBuilder().addDim(
                                    TensorShapeProto.Dimension.newBuilder().setDimValue(values.length))))));
        }
        return name;
    }
}
