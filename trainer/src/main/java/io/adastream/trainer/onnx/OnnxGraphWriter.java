package io.adastream.trainer.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.nn.norm.BatchNorm;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import io.adastream.adapt.onnx.Tensors;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds an ONNX graph (opset {@value #OPSET}, float32) from trained DJL layers: each method appends one node
 * reading the layer's current parameters as initializers and returns the name of the node's output. Names are
 * {@code <op><index>} for nodes, {@code <node>_out} for values and {@code <node>.<parameter>} for initializers.
 * With {@code foldBatchNorm} a convolution followed by BatchNormalization becomes one Conv with bias (see
 * {@link #convBatchNorm}). Not thread-safe; one writer builds one model.
 */
public final class OnnxGraphWriter {
    /** The ONNX operator set the exported models declare. */
    public static final int OPSET = 13;
    /** IR version 8, the one that opset 13 models are written with. */
    public static final long IR_VERSION = 8;
    /** Name of the symbolic batch dimension of input and output. */
    public static final String BATCH_DIM = "N";

    private final List<NodeProto.Builder> nodes = new ArrayList<>();
    private final List<TensorProto> initializers = new ArrayList<>();
    private final boolean foldBatchNorm;
    private int counter;

    /** A writer that keeps BatchNormalization layers as nodes. */
    public OnnxGraphWriter() {
        this(false);
    }

    /** @param foldBatchNorm write {@link #convBatchNorm} as one Conv with the normalization folded in */
    public OnnxGraphWriter(boolean foldBatchNorm) {
        this.foldBatchNorm = foldBatchNorm;
    }

    /**
     * A convolution followed by inference-mode BatchNormalization: the two nodes Conv and BatchNormalization, or,
     * when this writer folds, one Conv with weight {@code W' = W * s} and bias {@code b' = (b - mean) * s + beta}
     * per output channel, where {@code s = gamma / sqrt(var + epsilon)} and {@code b} is 0 for a bias-free layer.
     */
    public String convBatchNorm(String input, Conv2d conv, BatchNorm norm, float epsilon) {
        if (!foldBatchNorm) {
            return batchNorm(conv(input, conv), norm, epsilon);
        }
        float[] weight = param(conv, "weight").toFloatArray();
        long[] weightShape = param(conv, "weight").getShape().getShape();
        float[] bias = conv.isIncludeBias() ? param(conv, "bias").toFloatArray() : null;
        BatchNormFold.Folded folded = BatchNormFold.fold(weight, bias, param(norm, "gamma").toFloatArray(),
                param(norm, "beta").toFloatArray(), param(norm, "runningMean").toFloatArray(),
                param(norm, "runningVar").toFloatArray(), epsilon);
        String node = nextName("conv");
        String w = node + ".weight";
        String b = node + ".bias";
        initializers.add(Tensors.floatTensor(w, weightShape, folded.weight()));
        initializers.add(Tensors.floatTensor(b, new long[]{folded.bias().length}, folded.bias()));
        NodeProto.Builder n = node(node, "Conv", List.of(input, w, b));
        convAttributes(n, conv);
        n.addAttribute(OnnxAttributes.ints("pads", pad(conv)));
        return output(n);
    }

    /** A Conv node (with bias when the layer has one), padding and stride of the layer. */
    public String conv(String input, Conv2d conv) {
        String node = nextName("conv");
        List<String> inputs = new ArrayList<>(List.of(input, initializer(node, "weight", param(conv, "weight"))));
        if (conv.isIncludeBias()) {
            inputs.add(initializer(node, "bias", param(conv, "bias")));
        }
        NodeProto.Builder b = node(node, "Conv", inputs);
        convAttributes(b, conv);
        b.addAttribute(OnnxAttributes.ints("pads", pad(conv)));
        return output(b);
    }

    /**
     * A Resize node doubling height and width by nearest neighbour (scales [1, 1, 2, 2], asymmetric coordinates,
     * floor): output pixel (y, x) copies input pixel (y / 2, x / 2).
     */
    public String upsampleNearest2(String input) {
        String node = nextName("resize");
        String scales = node + ".scales";
        initializers.add(Tensors.floatTensor(scales, new long[]{4}, new float[]{1f, 1f, 2f, 2f}));
        NodeProto.Builder b = node(node, "Resize", List.of(input, "", scales));
        b.addAttribute(OnnxAttributes.string("mode", "nearest"));
        b.addAttribute(OnnxAttributes.string("coordinate_transformation_mode", "asymmetric"));
        b.addAttribute(OnnxAttributes.string("nearest_mode", "floor"));
        return output(b);
    }

    /**
     * An inference-mode BatchNormalization node with the layer's gamma, beta and running statistics as
     * initializers scale, B, input_mean and input_var.
     */
    public String batchNorm(String input, BatchNorm norm, float epsilon) {
        String node = nextName("bn");
        NodeProto.Builder b = node(node, "BatchNormalization", List.of(input,
                initializer(node, "scale", param(norm, "gamma")),
                initializer(node, "bias", param(norm, "beta")),
                initializer(node, "mean", param(norm, "runningMean")),
                initializer(node, "var", param(norm, "runningVar"))));
        b.addAttribute(OnnxAttributes.real("epsilon", epsilon));
        return output(b);
    }

    /** A Relu node. */
    public String relu(String input) {
        return output(node(nextName("relu"), "Relu", List.of(input)));
    }

    /** A 2x2, stride-2 MaxPool node without padding. */
    public String maxPool2(String input) {
        NodeProto.Builder b = node(nextName("maxpool"), "MaxPool", List.of(input));
        b.addAttribute(OnnxAttributes.ints("kernel_shape", 2, 2));
        b.addAttribute(OnnxAttributes.ints("strides", 2, 2));
        return output(b);
    }

    /** A Concat node along the channel axis (1) of NCHW values, {@code first} channels first. */
    public String concatChannels(String first, String second) {
        NodeProto.Builder b = node(nextName("concat"), "Concat", List.of(first, second));
        b.addAttribute(OnnxAttributes.integer("axis", 1));
        return output(b);
    }

    /**
     * The model: graph input {@code inputName} of shape [N, inputDims...], the value {@code last} renamed to the
     * graph output {@code outputName} of shape [N, outputDims...] (N symbolic), float32 throughout.
     */
    public ModelProto build(String graphName, String inputName, long[] inputDims, String last, String outputName,
                            long[] outputDims, String docString) {
        GraphProto.Builder graph = GraphProto.newBuilder().setName(graphName);
        boolean renamed = false;
        for (NodeProto.Builder n : nodes) {
            for (int i = 0; i < n.getInputCount(); i++) {
                if (n.getInput(i).equals(last)) {
                    throw new IllegalStateException(last + " is consumed inside the graph; it cannot be the output");
                }
            }
            if (n.getOutput(0).equals(last)) {
                n.setOutput(0, outputName);
                renamed = true;
            }
            graph.addNode(n.build());
        }
        if (!renamed) {
            throw new IllegalArgumentException("no node produces " + last);
        }
        graph.addAllInitializer(initializers);
        graph.addInput(floatValue(inputName, inputDims));
        graph.addOutput(floatValue(outputName, outputDims));
        return ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName("adastream-trainer")
                .setProducerVersion("0.1.0")
                .setDocString(docString)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(graph)
                .build();
    }

    private static ValueInfoProto floatValue(String name, long[] dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(BATCH_DIM));
        for (long d : dims) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        TypeProto type = TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
                .setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape)).build();
        return ValueInfoProto.newBuilder().setName(name).setType(type).build();
    }

    private static void convAttributes(NodeProto.Builder b, Convolution conv) {
        b.addAttribute(OnnxAttributes.ints("kernel_shape", conv.getKernelShape().getShape()));
        b.addAttribute(OnnxAttributes.ints("strides", conv.getStride().getShape()));
        b.addAttribute(OnnxAttributes.ints("dilations", conv.getDilation().getShape()));
        b.addAttribute(OnnxAttributes.integer("group", conv.getGroups()));
    }

    private static long[] pad(Convolution conv) {
        long[] p = conv.getPadding().getShape();
        long[] pads = new long[2 * p.length];
        for (int i = 0; i < p.length; i++) {
            pads[i] = p[i];
            pads[i + p.length] = p[i];
        }
        return pads;
    }

    private static NDArray param(Block block, String name) {
        Parameter p = block.getParameters().get(name);
        if (p == null || !p.isInitialized()) {
            throw new IllegalStateException(block.getClass().getSimpleName() + " has no initialized parameter "
                    + name + " (has " + block.getParameters().keys() + ")");
        }
        return p.getArray();
    }

    private String initializer(String node, String role, NDArray array) {
        String name = node + "." + role;
        initializers.add(Tensors.floatTensor(name, array.getShape().getShape(), array.toFloatArray()));
        return name;
    }

    private NodeProto.Builder node(String name, String op, List<String> inputs) {
        NodeProto.Builder b = NodeProto.newBuilder().setName(name).setOpType(op).addAllInput(inputs)
                .addOutput(name + "_out");
        nodes.add(b);
        return b;
    }

    private static String output(NodeProto.Builder b) {
        return b.getOutput(0);
    }

    private String nextName(String op) {
        return op + counter++;
    }
}
