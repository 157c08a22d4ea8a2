package io.adastream.benchmarks;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import io.adastream.adapt.onnx.AdaptiveModel;
import io.adastream.adapt.onnx.BatchNormLayer;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The graphs a benchmark compares for one model: the original with a dynamic batch dimension, and the "floor", the
 * original whose BatchNormalization means and variances are graph inputs (so ONNX Runtime cannot fold them into the
 * convolutions) but which computes no moments and no blend.
 */
public final class GraphVariants {

    private GraphVariants() {
    }

    /**
     * The model as every variant runs it: a symbolic first dimension on its inputs and outputs, so any batch size
     * runs, and no initializer listed as a graph input (older exporters list every weight as an input, which stops
     * ONNX Runtime from treating weights as constants; the adaptive rewrite drops them too).
     */
    public static ModelProto withDynamicBatch(ModelProto proto) {
        GraphProto.Builder g = proto.getGraph().toBuilder();
        Set<String> initializers = initializerNames(proto.getGraph());
        List<ValueInfoProto> inputs = g.getInputList().stream()
                .filter(i -> !initializers.contains(i.getName())).map(GraphVariants::dynamicBatch).toList();
        g.clearInput().addAllInput(inputs);
        for (int i = 0; i < g.getOutputCount(); i++) {
            g.setOutput(i, dynamicBatch(g.getOutput(i)));
        }
        g.clearValueInfo();
        return proto.toBuilder().setGraph(g).build();
    }

    private static ValueInfoProto dynamicBatch(ValueInfoProto v) {
        if (!v.getType().hasTensorType() || v.getType().getTensorType().getShape().getDimCount() == 0) {
            return v;
        }
        ValueInfoProto.Builder b = v.toBuilder();
        b.getTypeBuilder().getTensorTypeBuilder().getShapeBuilder().setDim(0,
                TensorShapeProto.Dimension.newBuilder().setDimParam("N"));
        return b.build();
    }

    /**
     * The floor: the original graph whose BatchNormalization mean and variance initializers become graph inputs.
     * Returns the model and, per new input, the source values to feed.
     */
    public static Floor statisticsAsInputs(ModelProto proto, AdaptiveModel adaptive) {
        Map<String, float[]> statistics = new LinkedHashMap<>();
        for (BatchNormLayer l : adaptive.layers()) {
            for (NodeProto node : proto.getGraph().getNodeList()) {
                if (node.getOpType().equals("BatchNormalization") && node.getOutput(0).equals(l.output())) {
                    statistics.put(node.getInput(3), l.sourceMean());
                    statistics.put(node.getInput(4), l.sourceVar());
                }
            }
        }
        GraphProto.Builder graph = proto.getGraph().toBuilder();
        List<TensorProto> kept = graph.getInitializerList().stream()
                .filter(t -> !statistics.containsKey(t.getName())).toList();
        graph.clearInitializer().addAllInitializer(kept);
        List<ValueInfoProto> inputs = graph.getInputList().stream()
                .filter(i -> !statistics.containsKey(i.getName())).toList();
        graph.clearInput().addAllInput(inputs);
        for (Map.Entry<String, float[]> e : statistics.entrySet()) {
            TypeProto type = TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
                    .setElemType(TensorProto.DataType.FLOAT_VALUE)
                    .setShape(TensorShapeProto.newBuilder().addDim(
                            TensorShapeProto.Dimension.newBuilder().setDimValue(e.getValue().length)))).build();
            graph.addInput(ValueInfoProto.newBuilder().setName(e.getKey()).setType(type));
        }
        return new Floor(proto.toBuilder().setGraph(graph).build(), statistics);
    }

    /** The floor graph and the statistics to feed it. */
    public record Floor(ModelProto proto, Map<String, float[]> statistics) {
    }

    /** The model's only real input (not an initializer), by name. */
    public static String inputName(ModelProto proto) {
        Set<String> init = initializerNames(proto.getGraph());
        List<String> real = proto.getGraph().getInputList().stream().map(ValueInfoProto::getName)
                .filter(n -> !init.contains(n)).toList();
        if (real.size() != 1) {
            throw new IllegalArgumentException("expected one model input, found " + real);
        }
        return real.get(0);
    }

    /** The static shape of one sample of the model's only input (its declared shape without N). */
    static long[] sampleShape(ModelProto proto) {
        String name = inputName(proto);
        ValueInfoProto v = proto.getGraph().getInputList().stream().filter(i -> i.getName().equals(name))
                .findFirst().orElseThrow();
        List<TensorShapeProto.Dimension> dims = v.getType().getTensorType().getShape().getDimList();
        long[] shape = new long[dims.size() - 1];
        for (int i = 1; i < dims.size(); i++) {
            if (!dims.get(i).hasDimValue()) {
                throw new IllegalArgumentException("input '" + name + "' has a dynamic dimension " + i);
            }
            shape[i - 1] = dims.get(i).getDimValue();
        }
        return shape;
    }

    static Set<String> initializerNames(GraphProto graph) {
        Set<String> names = new HashSet<>();
        graph.getInitializerList().forEach(t -> names.add(t.getName()));
        return names;
    }
}
