package io.adastream.adapt.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;

/**
 * Appends nodes and constant initializers to a graph under construction, in the form the model's opset
 * requires (reduction axes as an attribute before opset 18, as an input from 18).
 */
final class NodeEmitter {

    private final GraphProto.Builder graph;
    private final NameAllocator names;
    private final int opset;
    private final String scope;

    NodeEmitter(GraphProto.Builder graph, NameAllocator names, int opset, String scope) {
        this.graph = graph;
        this.names = names;
        this.opset = opset;
        this.scope = scope;
    }

    /** An emitter whose fresh names start with another scope. */
    NodeEmitter scoped(String newScope) {
        return new NodeEmitter(graph, names, opset, newScope);
    }

    /** A node with one output; the output gets a fresh name derived from {@code label}. */
    String op(String opType, String label, String... inputs) {
        return opNamed(opType, names.fresh(scope + label), inputs);
    }

    /** A node with one output and attributes; the output gets a fresh name derived from {@code label}. */
    String op(String opType, String label, java.util.List<AttributeProto> attributes, String... inputs) {
        String out = names.fresh(scope + label);
        graph.addNode(node(opType, out, inputs).addAllAttribute(attributes).build());
        return out;
    }

    /** A fresh name in this emitter's scope, for outputs built by hand with {@link #node}. */
    String freshName(String label) {
        return names.fresh(scope + label);
    }

    /** A node with one output of a given (already reserved) name. */
    String opNamed(String opType, String output, String... inputs) {
        graph.addNode(node(opType, output, inputs).build());
        return output;
    }

    NodeProto.Builder node(String opType, String output, String... inputs) {
        NodeProto.Builder n = NodeProto.newBuilder()
                .setOpType(opType)
                .setName(names.fresh(output + ":" + opType))
                .addOutput(output);
        for (String in : inputs) {
            n.addInput(in);
        }
        return n;
    }

    void add(NodeProto.Builder node) {
        graph.addNode(node.build());
    }

    /**
     * Splits {@code input} along {@code axis} into {@code parts} equal pieces (the form of the opset: equal split by
     * default before 18, {@code num_outputs} from 18); returns the output names.
     */
    String[] split(String label, String input, int axis, int parts) {
        String[] outs = new String[parts];
        NodeProto.Builder n = NodeProto.newBuilder().setOpType("Split").setName(names.fresh(scope + label + ":Split"))
                .addInput(input).addAttribute(intAttr("axis", axis));
        for (int i = 0; i < parts; i++) {
            outs[i] = names.fresh(scope + label);
            n.addOutput(outs[i]);
        }
        if (opset >= 18) {
            n.addAttribute(intAttr("num_outputs", parts));
        }
        graph.addNode(n.build());
        return outs;
    }

    /** ReduceMean over the given axes, keepdims 0. */
    String reduceMean(String label, String input, long... axes) {
        return reduce("ReduceMean", 18, label, input, axes);
    }

    /** The sum over {@code axes}. */
    String reduceSum(String label, String input, long... axes) {
        return reduce("ReduceSum", 13, label, input, axes);
    }

    /**
     * A Reduce* node without kept dimensions; axes as an attribute before {@code axesInputOpset}, the opset that made
     * them an input (13 for ReduceSum, 18 for the others).
     */
    private String reduce(String op, int axesInputOpset, String label, String input, long... axes) {
        String out = names.fresh(scope + label);
        NodeProto.Builder n = node(op, out, input).addAttribute(intAttr("keepdims", 0));
        if (opset >= axesInputOpset) {
            n.addInput(int64Constant("axes", axes));
        } else {
            n.addAttribute(intsAttr("axes", axes));
        }
        graph.addNode(n.build());
        return out;
    }

    String int64Constant(String label, long... values) {
        String name = names.fresh(scope + label);
        graph.addInitializer(Tensors.int64Tensor(name, values));
        return name;
    }

    String floatConstant(String label, float[] values) {
        String name = names.fresh(scope + label);
        graph.addInitializer(Tensors.floatTensor(name, new long[]{values.length}, values));
        return name;
    }

    static AttributeProto intAttr(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    static AttributeProto floatAttr(String name, float value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value).build();
    }

    static AttributeProto intsAttr(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    static int elementTypeFloat() {
        return TensorProto.DataType.FLOAT_VALUE;
    }
}
