package io.adastream.adapt.onnx;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rewrites every eligible inference-mode BatchNormalization node into the adaptive subgraph of
 * docs/algorithms.md §11.1. For layer {@code l} with input {@code X} of shape {@code [N, C, ...]}, fed
 * statistics {@code μf, σ²f} ({@code [N, C]}) and blend weight {@code b} (column l of {@code [N, L]}):
 *
 * <pre>
 *   D   = X − μf                     over X reshaped to [1, N·C, S]: shifted by the fed mean for float32
 *                                    (computed by a unit BatchNormalization with ε = 0, exactly x − μf)
 *   s1  = mean_S D ;  s2 = mean_S D²
 *   m   = μf + s1 ;  v = relu(s2 − s1²)                       the per-sample moments (outputs)
 *   μ*  = μf + b·s1
 *   σ²* = σ²f + b·(s2 − σ²f) − (b·s1)²                        the moment-exact blend of §1.2,
 *                                                             (1−b)·σ²f + b·v + b(1−b)·s1² rearranged
 *   Y   = BatchNormalization(X as [1, N·C, S]; γ, β, μ*, σ²* tiled over N; ε)
 * </pre>
 *
 * Normalizing with one BatchNormalization node over {@code N·C} channels keeps a single pass over the
 * activation and, at {@code b = 0} with source statistics, runs exactly the original node's arithmetic.
 */
public final class AdaptiveGraphRewriter {

    /**
     * The most BatchNormalization layers one model may have adapted (deep published CNNs have 50 to 300).
     * ONNX Runtime's session setup (its memory planner) over the adaptive graph takes time that grows faster than
     * the square of the graph's size: about 40 s of CPU at 500 layers, over 3 minutes at 1,000; past the limit a
     * model is refused at once rather than left to stall {@code check} or the service's start.
     */
    public static final int MAX_LAYERS = 500;

    private AdaptiveGraphRewriter() {
    }

    /**
     * Rewrites a model.
     *
     * @throws ModelFormatException NO_BATCHNORM, NOT_ADAPTABLE, ALREADY_REWRITTEN, UNSUPPORTED or INVALID, one line each
     */
    public static AdaptiveModel rewrite(OnnxModel model) throws ModelFormatException {
        return rewrite(model, SecondMoment.MATMUL);
    }

    /**
     * How each adaptive layer sums the squares of its shifted copy {@code D}; the two forms differ in rounding only,
     * and neither is faster on every model (docs/algorithms.md §11.1).
     */
    public enum SecondMoment {
        /** Each row of {@code D} times its own Transpose, fused by ONNX Runtime into one FusedMatMul (the default). */
        MATMUL("matmul"),
        /** {@code ReduceSum(D·D)}: writes the squares, then sums them on ONNX Runtime's vectorized reduction path. */
        MUL_SUM("mul-sum");

        private final String settingName;

        SecondMoment(String settingName) {
            this.settingName = settingName;
        }

        /** The form named as in the {@code inference.second.moment} setting ({@code matmul} or {@code mul-sum}). */
        public static SecondMoment of(String settingName) {
            for (SecondMoment form : values()) {
                if (form.settingName.equals(settingName)) {
                    return form;
                }
            }
            throw new IllegalArgumentException("must be matmul or mul-sum, got '" + settingName + "'");
        }
    }

    /** {@link #rewrite(OnnxModel)} with the second moment in the given form. */
    public static AdaptiveModel rewrite(OnnxModel model, SecondMoment secondMoment) throws ModelFormatException {
        ModelInspection inspection = BatchNormInspector.inspect(model);
        checkRewritable(model, inspection);
        // the model's own tensors named like the contract's inputs and outputs get fresh names first
        OnnxModel own = ReservedNames.free(model);
        if (own != model) {
            model = own;
            inspection = BatchNormInspector.inspect(model);
        }
        ModelProto original = model.proto();
        GraphProto graph = original.getGraph();
        int opset = model.opset();

        Map<String, BatchNormLayer> layerByOutput = new HashMap<>();
        for (BatchNormLayer layer : inspection.layers()) {
            layerByOutput.put(layer.output(), layer);
        }
        NameAllocator names = new NameAllocator(graph);
        int layerCount = inspection.layers().size();
        GraphProto.Builder out = graph.toBuilder().clearNode();
        NodeEmitter shared = new NodeEmitter(out, names, opset, "adastream/");
        SharedConstants constants = new SharedConstants(shared, layerCount);

        Set<String> replacedStatistics = new HashSet<>();
        for (NodeProto node : graph.getNodeList()) {
            BatchNormLayer layer = BatchNormInspector.isBatchNorm(node) ? layerByOutput.get(node.getOutput(0)) : null;
            if (layer == null) {
                out.addNode(node);
                continue;
            }
            emitAdaptiveLayer(shared.scoped("adastream/" + layer.index() + "/"), constants, node, layer, secondMoment);
            replacedStatistics.add(node.getInput(3));
            replacedStatistics.add(node.getInput(4));
        }
        removeUnusedInitializers(out, replacedStatistics);
        dropInitializersFromInputs(out);

        out.addInput(floatValue(AdaptiveNames.BLEND, layerCount));
        for (BatchNormLayer layer : inspection.layers()) {
            out.addInput(floatValue(AdaptiveNames.mean(layer.index()), layer.channels()));
            out.addInput(floatValue(AdaptiveNames.var(layer.index()), layer.channels()));
        }
        for (BatchNormLayer layer : inspection.layers()) {
            out.addOutput(floatValue(AdaptiveNames.momentMean(layer.index()), layer.channels()));
            out.addOutput(floatValue(AdaptiveNames.momentVar(layer.index()), layer.channels()));
        }
        ModelProto rewritten = original.toBuilder()
                .setGraph(out)
                .addMetadataProps(StringStringEntryProto.newBuilder()
                        .setKey(AdaptiveNames.METADATA_KEY).setValue(AdaptiveNames.FORMAT_VERSION))
                .addMetadataProps(StringStringEntryProto.newBuilder()
                        .setKey("adastream.source.sha256").setValue(model.fingerprintHex()))
                .build();
        return new AdaptiveModel(rewritten.toByteArray(), inspection.layers(),
                modelInputNames(graph), graph.getOutputList().stream().map(ValueInfoProto::getName).toList(),
                opset, model.fingerprint());
    }

    static void checkRewritable(OnnxModel model, ModelInspection inspection) throws ModelFormatException {
        if (inspection.alreadyRewritten()) {
            throw new ModelFormatException(ModelFormatException.Reason.ALREADY_REWRITTEN,
                    "the model was already rewritten by AdaStream; rewrite the original model instead");
        }
        int opset = model.opset();
        if (opset < BatchNormInspector.MIN_OPSET || opset > BatchNormInspector.MAX_OPSET) {
            throw new ModelFormatException(ModelFormatException.Reason.UNSUPPORTED,
                    "opset " + opset + " is not supported (supported: " + BatchNormInspector.MIN_OPSET + " to "
                            + BatchNormInspector.MAX_OPSET + ")");
        }
        if (!inspection.refusals().isEmpty()) {
            int more = inspection.refusals().size() - 1;
            ModelInspection.Refusal first = inspection.refusals().get(0);
            throw new ModelFormatException(first.reason(),
                    first.message() + (more > 0 ? " (and " + more + " more nodes refused)" : ""));
        }
        if (inspection.layers().isEmpty() && inspection.skipped().isEmpty()) {
            throw new ModelFormatException(ModelFormatException.Reason.NO_BATCHNORM,
                    "the model has no BatchNormalization node, so there are no statistics to adapt: BatchNorm was "
                            + "probably folded into the convolutions at export; export it again with "
                            + "training=TrainingMode.PRESERVE (and constant folding off) to keep the BatchNormalization nodes");
        }
        if (inspection.layers().isEmpty()) {
            ModelInspection.SkippedNode first = inspection.skipped().get(0);
            throw new ModelFormatException(ModelFormatException.Reason.NOT_ADAPTABLE,
                    "none of the " + inspection.skipped().size() + " BatchNormalization nodes can be adapted; e.g. '"
                            + first.nodeName() + "': " + first.reason());
        }
        if (inspection.layers().size() > MAX_LAYERS) {
            throw new ModelFormatException(ModelFormatException.Reason.UNSUPPORTED, "the model has "
                    + inspection.layers().size() + " BatchNormalization layers to adapt; at most " + MAX_LAYERS
                    + " are supported (ONNX Runtime's session setup grows faster than the square of the graph's size)");
        }
    }

    private static void emitAdaptiveLayer(NodeEmitter e, SharedConstants k, NodeProto bn, BatchNormLayer layer,
                                          SecondMoment secondMoment) {
        String x = bn.getInput(0);
        String scale = bn.getInput(1);
        String bias = bn.getInput(2);
        String fedMean = AdaptiveNames.mean(layer.index());
        String fedVar = AdaptiveNames.var(layer.index());
        String perSample = e.int64Constant("shape_n_c", -1, layer.channels());

        // X as [1, N·C, S]: every (sample, channel) pair becomes one channel
        String xFlat = e.op("Reshape", "x_1_nc_s", e.op("Reshape", "x_n_c_s", x, k.shapeNCS), k.shape1NCS);

        // moments over S, shifted by the fed mean so that float32 keeps the variance
        // D = X − μf as a BatchNormalization with unit scale and variance, zero bias and ε = 0: it computes
        // x·1 + (−μf), the same single rounding as a Sub, without the slow broadcast path for small S
        String onesTiled = k.tiled(1f, layer.channels());
        String zerosTiled = k.tiled(0f, layer.channels());
        NodeProto.Builder shift = e.node("BatchNormalization", e.freshName("shifted"), xFlat, onesTiled, zerosTiled,
                        e.op("Reshape", "fed_mean_flat", fedMean, k.shapeFlat), onesTiled)
                .addAttribute(NodeEmitter.floatAttr("epsilon", 0f));
        e.add(shift);
        String d = shift.getOutput(0);
        String s1 = e.op("Reshape", "s1", e.reduceMean("s1_flat", d, 2), perSample);
        // s2 = Σ D² / S; ReduceSumSquare, which ONNX Runtime runs without its vectorized reduction path, is 2 to 6
        // times slower than either form (README, "The adaptive graph")
        String sumSquares = secondMoment == SecondMoment.MUL_SUM
                ? e.reduceSum("sum_sq", e.op("Mul", "d_squared", d, d), 2)
                : rowSelfProducts(e, k, d);
        String s2 = e.op("Reshape", "s2", e.op("Mul", "s2_flat", sumSquares, inverseSpatialSize(e, xFlat)), perSample);
        String s1Squared = e.op("Mul", "s1_sq", s1, s1);
        e.opNamed("Relu", AdaptiveNames.momentVar(layer.index()), e.op("Sub", "var_raw", s2, s1Squared));
        e.opNamed("Add", AdaptiveNames.momentMean(layer.index()), fedMean, s1);

        // moment-exact blend of the fed statistics with the sample's own moments, in the algebraically equal form
        // (1−b)·σ²f + b·v + b(1−b)·s1² = σ²f + b·(s2 − σ²f) − (b·s1)²: fewer nodes, no (1 − b)
        String b = k.blendColumn(layer.index());
        String shiftStar = e.op("Mul", "blend_s1", b, s1);
        String blendedMean = e.op("Add", "mean_star", fedMean, shiftStar);
        String blendedVar = e.op("Sub", "var_star",
                e.op("Add", "fed_var_moved", fedVar, e.op("Mul", "blend_moved", b, e.op("Sub", "s2_minus_fed", s2, fedVar))),
                e.op("Mul", "shift_star_sq", shiftStar, shiftStar));

        // one BatchNormalization over the N·C channels: a single pass over the activation
        NodeProto.Builder norm = e.node("BatchNormalization", e.freshName("y_flat"), xFlat,
                        e.op("Tile", "scale_tiled", scale, k.batchRepeats),
                        e.op("Tile", "bias_tiled", bias, k.batchRepeats),
                        e.op("Reshape", "mean_flat", blendedMean, k.shapeFlat),
                        e.op("Reshape", "var_flat", blendedVar, k.shapeFlat))
                .addAttribute(NodeEmitter.floatAttr("epsilon", layer.epsilon()));
        e.add(norm);
        e.opNamed("Reshape", bn.getOutput(0), norm.getOutput(0), e.op("Shape", "x_shape", x));
    }

    /**
     * Σ_S D² per row of D ([1, N·C, S]) as [N·C, 1, 1]: each 1 x S row times its own Transpose, which ONNX Runtime
     * fuses into one FusedMatMul, so D·D never goes to memory.
     */
    private static String rowSelfProducts(NodeEmitter e, SharedConstants k, String d) {
        String rows = e.op("Reshape", "d_rows", d, k.shapeRows);
        return e.op("MatMul", "sum_sq", rows, e.op("Transpose", "d_columns",
                List.of(NodeEmitter.intsAttr("perm", 0, 2, 1)), rows));
    }

    /** 1 / S as a float scalar, S being the last dimension of the [1, N·C, S] view of the layer's input. */
    private static String inverseSpatialSize(NodeEmitter e, String xFlat) {
        String s = e.op("Gather", "spatial_size", List.of(NodeEmitter.intAttr("axis", 0)),
                e.op("Shape", "flat_shape", xFlat), e.int64Constant("axis2", 2));
        String cast = e.op("Cast", "spatial_size_f", List.of(NodeEmitter.intAttr("to", 1)), s);
        return e.op("Reciprocal", "inv_spatial_size", cast);
    }

    /** Constants every adaptive layer shares. */
    private static final class SharedConstants {
        final String shapeNCS;
        final String shape1NCS;
        final String shapeFlat;
        /** [N·C, 1, S] from [1, N·C, S]: each (sample, channel) row as a 1 x S matrix. */
        final String shapeRows;
        /** [N], the batch size, computed once from the blend input: Tile's repeats for scale and bias. */
        final String batchRepeats;
        private final String[] blendColumns;

        private final NodeEmitter emitter;
        private final Map<String, String> tiledByValueAndWidth = new HashMap<>();

        /** A constant vector of {@code width} copies of {@code value}, tiled over N; shared by equal widths. */
        String tiled(float value, int width) {
            return tiledByValueAndWidth.computeIfAbsent(value + "x" + width, key -> {
                float[] values = new float[width];
                java.util.Arrays.fill(values, value);
                return emitter.op("Tile", "tiled_" + (value == 0f ? "zeros" : "ones") + "_" + width,
                        emitter.floatConstant("const_" + width, values), batchRepeats);
            });
        }

        /** Column l of the blend input, {@code [N, 1]}; one Split of the whole input makes all of them. */
        String blendColumn(int layer) {
            return blendColumns[layer];
        }

        SharedConstants(NodeEmitter e, int layerCount) {
            emitter = e;
            blendColumns = e.split("blend_column", AdaptiveNames.BLEND, 1, layerCount);
            shapeNCS = e.int64Constant("shape_n_c_s", 0, 0, -1);
            shape1NCS = e.int64Constant("shape_1_nc_s", 1, -1, 0);
            shapeFlat = e.int64Constant("shape_flat", -1);
            shapeRows = e.int64Constant("shape_rows", -1, 1, 0);
            batchRepeats = e.op("Gather", "batch_repeats", List.of(NodeEmitter.intAttr("axis", 0)),
                    e.op("Shape", "blend_shape", AdaptiveNames.BLEND), e.int64Constant("axis0", 0));
        }
    }

    private static void removeUnusedInitializers(GraphProto.Builder graph, Set<String> candidates) {
        // a subgraph (If branch, Loop body) may read any of the outer graph's initializers by name
        Set<String> used = Subgraphs.namesReadInside(graph.getNodeList());
        for (NodeProto n : graph.getNodeList()) {
            used.addAll(n.getInputList());
        }
        for (ValueInfoProto o : graph.getOutputList()) {
            used.add(o.getName());
        }
        List<TensorProto> keep = graph.getInitializerList().stream()
                .filter(t -> !candidates.contains(t.getName()) || used.contains(t.getName()))
                .toList();
        Set<String> removed = new HashSet<>(candidates);
        keep.forEach(t -> removed.remove(t.getName()));
        graph.clearInitializer().addAllInitializer(keep);
        List<ValueInfoProto> inputs = graph.getInputList().stream().filter(i -> !removed.contains(i.getName())).toList();
        graph.clearInput().addAllInput(inputs);
    }

    /**
     * Removes initializers from the graph's input list. Older exporters list every weight as an input too, which
     * makes ONNX Runtime treat it as overridable: no constant folding, no pre-packed convolution weights. The
     * adaptive session never feeds them, so in the adaptive graph they are plain constants.
     */
    private static void dropInitializersFromInputs(GraphProto.Builder graph) {
        Set<String> init = new HashSet<>();
        graph.getInitializerList().forEach(t -> init.add(t.getName()));
        List<ValueInfoProto> inputs = graph.getInputList().stream().filter(i -> !init.contains(i.getName())).toList();
        graph.clearInput().addAllInput(inputs);
    }

    /** Graph inputs that are not initializers (older exporters list initializers as inputs too). */
    static List<String> modelInputNames(GraphProto graph) {
        Set<String> init = new HashSet<>();
        graph.getInitializerList().forEach(t -> init.add(t.getName()));
        return graph.getInputList().stream().map(ValueInfoProto::getName).filter(n -> !init.contains(n)).toList();
    }

    /** A float {@code [N, width]} value info with a symbolic batch dimension. */
    private static ValueInfoProto floatValue(String name, long width) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("N"))
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(width));
        return ValueInfoProto.newBuilder()
                .setName(name)
                .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
                        .setElemType(TensorProto.DataType.FLOAT_VALUE)
                        .setShape(shape)))
                .build();
    }
}
