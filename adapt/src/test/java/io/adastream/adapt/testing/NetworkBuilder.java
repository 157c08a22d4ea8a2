package io.adastream.adapt.testing;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import io.adastream.adapt.onnx.Tensors;

import java.util.Random;

/** Builds small ONNX graphs with seeded random weights for tests and benchmarks. */
public final class NetworkBuilder {

    private final int opset;
    private final Random random;
    private final GraphProto.Builder graph = GraphProto.newBuilder().setName("test");
    private int counter;

    public NetworkBuilder(int opset, long seed) {
        this.opset = opset;
        this.random = new Random(seed);
    }

    public int opset() {
        return opset;
    }

    /** A float graph input; a dimension of -1 becomes the symbolic batch dimension "N". */
    public String input(String name, long... dims) {
        graph.addInput(valueInfo(name, dims));
        return name;
    }

    /** Declares a graph output (float, shape unspecified). */
    public void output(String name) {
        graph.addOutput(ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE))));
    }

    /** Convolution over {@code spatialRank} spatial axes, He-initialized, "same" padding for odd kernels. */
    public String conv(String x, int in, int out, int kernel, int stride, int spatialRank) {
        long[] dims = new long[2 + spatialRank];
        dims[0] = out;
        dims[1] = in;
        int fanIn = in;
        for (int i = 0; i < spatialRank; i++) {
            dims[2 + i] = kernel;
            fanIn *= kernel;
        }
        String w = initializer("w", dims, gaussian(count(dims), Math.sqrt(2.0 / fanIn)));
        long[] ones = new long[spatialRank];
        long[] strides = new long[spatialRank];
        long[] pads = new long[2 * spatialRank];
        java.util.Arrays.fill(ones, kernel);
        java.util.Arrays.fill(strides, stride);
        java.util.Arrays.fill(pads, kernel / 2);
        return node("Conv", x, w).attr(ints("kernel_shape", ones)).attr(ints("strides", strides))
                .attr(ints("pads", pads)).done();
    }

    /** An inference-mode BatchNormalization with random source statistics. */
    public String batchNorm(String x, int channels) {
        return batchNorm(x, channels, 1e-5f);
    }

    public String batchNorm(String x, int channels, float epsilon) {
        float[] scale = uniform(channels, 0.5, 1.5);
        float[] bias = gaussianArray(channels, 0.2);
        float[] mean = gaussianArray(channels, 0.5);
        float[] var = uniform(channels, 0.5, 2.0);
        return batchNorm(x, scale, bias, mean, var, epsilon);
    }

    public String batchNorm(String x, float[] scale, float[] bias, float[] mean, float[] var, float epsilon) {
        long[] d = {scale.length};
        return node("BatchNormalization", x, initializer("scale", d, scale), initializer("bias", d, bias),
                initializer("mean", d, mean), initializer("var", d, var))
                .attr(AttributeProto.newBuilder().setName("epsilon").setType(AttributeProto.AttributeType.FLOAT).setF(epsilon).build())
                .done();
    }

    public String sigmoid(String x) {
        return node("Sigmoid", x).done();
    }

    public String relu(String x) {
        return node("Relu", x).done();
    }

    public String add(String a, String b) {
        return node("Add", a, b).done();
    }

    /** Multiplies by a per-channel constant of shape [C, 1, ..., 1] (rank of x minus one). */
    public String mulChannels(String x, float[] factors, int spatialRank) {
        long[] dims = new long[1 + spatialRank];
        dims[0] = factors.length;
        java.util.Arrays.fill(dims, 1, dims.length, 1);
        return node("Mul", x, initializer("factor", dims, factors)).done();
    }

    /** 2-D max pooling with "same"-style padding of kernel/2. */
    public String maxPool(String x, int kernel, int stride) {
        return node("MaxPool", x).attr(ints("kernel_shape", new long[]{kernel, kernel}))
                .attr(ints("strides", new long[]{stride, stride}))
                .attr(ints("pads", new long[]{kernel / 2, kernel / 2, kernel / 2, kernel / 2})).done();
    }

    public String globalAveragePool(String x) {
        return node("GlobalAveragePool", x).done();
    }

    public String flatten(String x) {
        return node("Flatten", x).done();
    }

    /** y = x·Wᵀ + b for x of shape [N, in]. */
    public String gemm(String x, int in, int out) {
        String w = initializer("fc_w", new long[]{out, in}, gaussian(out * in, Math.sqrt(1.0 / in)));
        String b = initializer("fc_b", new long[]{out}, gaussianArray(out, 0.1));
        return node("Gemm", x, w, b).attr(AttributeProto.newBuilder().setName("transB")
                .setType(AttributeProto.AttributeType.INT).setI(1).build()).done();
    }

    /** Reshape to a constant shape (an INT64 initializer). */
    public String reshape(String x, long... shape) {
        String name = "shape_" + (counter++);
        graph.addInitializer(Tensors.int64Tensor(name, shape));
        return node("Reshape", x, name).done();
    }

    /** Softmax over one axis. */
    public String softmax(String x, int axis) {
        return node("Softmax", x).attr(AttributeProto.newBuilder().setName("axis")
                .setType(AttributeProto.AttributeType.INT).setI(axis).build()).done();
    }

    /** Declares a float graph output with a shape; a dimension of -1 becomes the symbolic batch dimension "N". */
    public void floatOutput(String name, long... dims) {
        graph.addOutput(valueInfo(name, dims));
    }

    /** ArgMax over {@code axis} (int64 out), the axis dropped unless {@code keepDims}. */
    public String argMax(String x, int axis, boolean keepDims) {
        return node("ArgMax", x).attr(intAttr("axis", axis)).attr(intAttr("keepdims", keepDims ? 1 : 0)).done();
    }

    /** Max over {@code axis}, the axis dropped (opset 13 ReduceMax, axes as an attribute). */
    public String reduceMax(String x, int axis) {
        return node("ReduceMax", x).attr(ints("axes", new long[]{axis})).attr(intAttr("keepdims", 0)).done();
    }

    /** Cast to an ONNX element type (a {@code TensorProto.DataType} number). */
    public String cast(String x, int elemType) {
        return node("Cast", x).attr(intAttr("to", elemType)).done();
    }

    public String transpose(String x, long... perm) {
        return node("Transpose", x).attr(ints("perm", perm)).done();
    }

    /** A constant int64 tensor. */
    public String constantLongs(long[] dims, long... values) {
        TensorProto.Builder t = TensorProto.newBuilder().setDataType(TensorProto.DataType.INT64_VALUE);
        for (long d : dims) {
            t.addDims(d);
        }
        for (long v : values) {
            t.addInt64Data(v);
        }
        return node("Constant").attr(AttributeProto.newBuilder().setName("value")
                .setType(AttributeProto.AttributeType.TENSOR).setT(t).build()).done();
    }

    /**
     * Declares a graph output of an element type (a {@code TensorProto.DataType} number) and shape; -1 is the
     * symbolic batch dimension "N"; no dimensions leave the shape unspecified.
     */
    public void output(String name, int elemType, long... dims) {
        TypeProto.Tensor.Builder type = TypeProto.Tensor.newBuilder().setElemType(elemType);
        if (dims.length > 0) {
            TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
            for (long d : dims) {
                shape.addDim(d < 0 ? TensorShapeProto.Dimension.newBuilder().setDimParam("N")
                        : TensorShapeProto.Dimension.newBuilder().setDimValue(d));
            }
            type.setShape(shape);
        }
        graph.addOutput(ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(type)));
    }

    private static AttributeProto intAttr(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    /** Renames the output of the most recent node (to create name clashes on purpose). */
    public String renameLast(String newName) {
        int last = graph.getNodeCount() - 1;
        NodeProto n = graph.getNode(last);
        String old = n.getOutput(0);
        graph.setNode(last, n.toBuilder().setOutput(0, newName).build());
        return newName.isEmpty() ? old : newName;
    }

    public ModelProto build() {
        return ModelProto.newBuilder()
                .setIrVersion(irVersion(opset))
                .setProducerName("adastream-tests")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset))
                .setGraph(graph)
                .build();
    }

    /** The IR version that goes with an opset (ONNX's versioning table). */
    static long irVersion(int opset) {
        if (opset <= 9) {
            return 4;
        }
        if (opset <= 12) {
            return 7;
        }
        if (opset <= 15) {
            return 8;
        }
        if (opset <= 20) {
            return 9;
        }
        return 10;
    }

    private NodeBuilder node(String op, String... inputs) {
        return new NodeBuilder(op, inputs);
    }

    private final class NodeBuilder {
        private final NodeProto.Builder node;

        NodeBuilder(String op, String... inputs) {
            String out = op.toLowerCase() + "_" + (counter++);
            node = NodeProto.newBuilder().setOpType(op).setName(out).addOutput(out);
            for (String in : inputs) {
                node.addInput(in);
            }
        }

        NodeBuilder attr(AttributeProto a) {
            node.addAttribute(a);
            return this;
        }

        String done() {
            graph.addNode(node);
            return node.getOutput(0);
        }
    }

    private String initializer(String label, long[] dims, float[] values) {
        String name = label + "_" + (counter++);
        graph.addInitializer(Tensors.floatTensor(name, dims, values));
        return name;
    }

    private static AttributeProto ints(String name, long[] values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    private static ValueInfoProto valueInfo(String name, long[] dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : dims) {
            shape.addDim(d < 0 ? TensorShapeProto.Dimension.newBuilder().setDimParam("N")
                    : TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape)))
                .build();
    }

    private static int count(long[] dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        return Math.toIntExact(n);
    }

    private float[] gaussian(int n, double std) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (random.nextGaussian() * std);
        }
        return v;
    }

    private float[] gaussianArray(int n, double std) {
        return gaussian(n, std);
    }

    private float[] uniform(int n, double lo, double hi) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (lo + random.nextDouble() * (hi - lo));
        }
        return v;
    }
}
