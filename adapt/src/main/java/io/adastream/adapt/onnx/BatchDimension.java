package io.adastream.adapt.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;

import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds where an exported graph fixes the batch dimension to 1 and makes it symbolic where it can: a graph input,
 * output or value-info whose first dimension is 1 gets the symbolic dimension {@code N}, and a Reshape of a
 * batch-dependent tensor to a constant shape {@code [1, ...]} gets {@code [-1, ...]} (or {@code [0, ...]}, "copy
 * the input's batch", when the shape already holds a -1). Whether the result really runs a batch is for
 * {@link io.adastream.adapt.session.BatchCheck} to prove: a graph may fix the batch in ways no rule sees.
 */
public final class BatchDimension {

    /** The symbolic batch dimension the freed graph declares. */
    public static final String SYMBOL = "N";

    /** What {@link #free} did: the model (itself when nothing fixed the batch) and one line per change. */
    public record Freed(OnnxModel model, List<String> changes) {
        public boolean changed() {
            return !changes.isEmpty();
        }

        /** The changes, comma-separated, for one log line. */
        public String summary() {
            return String.join(", ", changes);
        }
    }

    private BatchDimension() {
    }

    /** The model with every batch dimension fixed to 1 that the rules recognise made symbolic; same fingerprint. */
    public static Freed free(OnnxModel model) {
        GraphProto graph = model.proto().getGraph();
        Set<String> initializers = new HashSet<>();
        graph.getInitializerList().forEach(t -> initializers.add(t.getName()));
        List<String> changes = new ArrayList<>();
        GraphProto.Builder out = graph.toBuilder();

        for (int i = 0; i < out.getInputCount(); i++) {
            ValueInfoProto in = out.getInput(i);
            if (!initializers.contains(in.getName()) && firstDimIsOne(in)) {
                out.setInput(i, withSymbolicBatch(in));
                changes.add("input '" + in.getName() + "' declared batch 1");
            }
        }
        for (int i = 0; i < out.getOutputCount(); i++) {
            ValueInfoProto o = out.getOutput(i);
            if (firstDimIsOne(o)) {
                out.setOutput(i, withSymbolicBatch(o));
                changes.add("output '" + o.getName() + "' declared batch 1");
            }
        }
        int valueInfos = 0;
        for (int i = 0; i < out.getValueInfoCount(); i++) {
            ValueInfoProto v = out.getValueInfo(i);
            if (firstDimIsOne(v)) {
                out.setValueInfo(i, withSymbolicBatch(v));
                valueInfos++;
            }
        }
        if (valueInfos > 0) {
            changes.add(valueInfos + " intermediate shapes declared batch 1");
        }
        int reshapes = freeReshapes(graph, out, batchDependent(graph, initializers));
        if (reshapes > 0) {
            changes.add(reshapes + " Reshape" + (reshapes == 1 ? "" : "s") + " to a constant shape [1, ...]");
        }
        if (changes.isEmpty()) {
            return new Freed(model, List.of());
        }
        return new Freed(model.withProto(model.proto().toBuilder().setGraph(out).build()), List.copyOf(changes));
    }

    /** Rewrites the shape of every Reshape of a batch-dependent tensor to a constant [1, ...]; returns how many. */
    private static int freeReshapes(GraphProto graph, GraphProto.Builder out, Set<String> batchDependent) {
        Map<String, TensorProto> constants = new HashMap<>();
        graph.getInitializerList().forEach(t -> constants.put(t.getName(), t));
        for (NodeProto n : graph.getNodeList()) {
            if (n.getOpType().equals("Constant") && n.getDomain().isEmpty() && n.getOutputCount() == 1) {
                for (AttributeProto a : n.getAttributeList()) {
                    if (a.getName().equals("value") && a.hasT()) {
                        constants.put(n.getOutput(0), a.getT());
                    }
                }
            }
        }
        NameAllocator names = new NameAllocator(graph);
        int count = 0;
        for (int i = 0; i < out.getNodeCount(); i++) {
            NodeProto n = out.getNode(i);
            if (!n.getOpType().equals("Reshape") || !n.getDomain().isEmpty() || n.getInputCount() < 2
                    || !batchDependent.contains(n.getInput(0)) || allowsZero(n)) {
                continue;
            }
            TensorProto shape = constants.get(n.getInput(1));
            long[] dims = shape == null ? null : int64Values(shape);
            if (dims == null || dims.length < 2 || dims[0] != 1) {
                continue;
            }
            boolean hasInferred = false;
            for (long d : dims) {
                hasInferred |= d == -1;
            }
            long[] freed = dims.clone();
            freed[0] = hasInferred ? 0 : -1;
            String name = names.fresh(n.getInput(1) + "_batch");
            out.addInitializer(Tensors.int64Tensor(name, freed));
            out.setNode(i, n.toBuilder().setInput(1, name).build());
            count++;
        }
        return count;
    }

    /** Tensors computed from a graph input (not only from constants): those that carry the batch. */
    private static Set<String> batchDependent(GraphProto graph, Set<String> initializers) {
        Set<String> dependent = new HashSet<>();
        for (ValueInfoProto in : graph.getInputList()) {
            if (!initializers.contains(in.getName())) {
                dependent.add(in.getName());
            }
        }
        for (NodeProto n : graph.getNodeList()) {
            boolean fromInput = false;
            for (String in : n.getInputList()) {
                fromInput |= dependent.contains(in);
            }
            if (fromInput) {
                dependent.addAll(n.getOutputList());
            }
        }
        return dependent;
    }

    private static boolean allowsZero(NodeProto reshape) {
        for (AttributeProto a : reshape.getAttributeList()) {
            if (a.getName().equals("allowzero") && a.getI() != 0) {
                return true;
            }
        }
        return false;
    }

    /** The values of a 1-D INT64 tensor, or null if it is not one (or holds external data). */
    static long[] int64Values(TensorProto t) {
        if (t.getDataType() != TensorProto.DataType.INT64_VALUE || t.getDimsCount() != 1
                || t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            return null;
        }
        long n = t.getDims(0);
        if (!t.getRawData().isEmpty()) {
            if (t.getRawData().size() != 8L * n) {
                return null;
            }
            LongBuffer b = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asLongBuffer();
            long[] out = new long[(int) n];
            b.get(out);
            return out;
        }
        if (t.getInt64DataCount() != n) {
            return null;
        }
        return t.getInt64DataList().stream().mapToLong(Long::longValue).toArray();
    }

    private static boolean firstDimIsOne(ValueInfoProto v) {
        if (!v.getType().hasTensorType() || !v.getType().getTensorType().hasShape()) {
            return false;
        }
        TensorShapeProto shape = v.getType().getTensorType().getShape();
        return shape.getDimCount() >= 2 && shape.getDim(0).hasDimValue() && shape.getDim(0).getDimValue() == 1;
    }

    private static ValueInfoProto withSymbolicBatch(ValueInfoProto v) {
        TypeProto.Tensor.Builder tensor = v.getType().getTensorType().toBuilder();
        tensor.getShapeBuilder().setDim(0, TensorShapeProto.Dimension.newBuilder().setDimParam(SYMBOL));
        return v.toBuilder().setType(v.getType().toBuilder().setTensorType(tensor)).build();
    }
}
