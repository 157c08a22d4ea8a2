package io.adastream.benchmarks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.adastream.adapt.onnx.AdaptiveGraphRewriter;
import io.adastream.adapt.onnx.AdaptiveModel;
import io.adastream.adapt.onnx.BatchNormLayer;
import io.adastream.adapt.onnx.OnnxModel;
import io.adastream.adapt.session.AdaptiveSession;
import io.adastream.adapt.session.SessionConfig;
import io.adastream.adapt.session.Workspace;
import io.adastream.adapt.testing.ReferenceNetworks;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The rewritten graph at blend weight 0 and 0.1 against the original model: same network (ResNet-18: 20 BN layers),
 * same 224x224 input, batch 1 and 8, 2 intra-op threads. {@code statisticsAsInputs} is the original graph with only
 * each BatchNormalization's mean and variance turned into graph inputs (no moments, no blend): the cost of having
 * statistics that change at run time at all, which every adaptive graph pays (ONNX Runtime then cannot fold the
 * BatchNorm into the convolution).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class AdaptiveGraphBenchmark {

    @Param({"1", "8"})
    public int batch;

    private OrtSession original;
    private OnnxTensor originalInput;
    private Map<String, OnnxTensor> originalFeed;
    private OrtSession withInputs;
    private Map<String, OnnxTensor> withInputsFeed;
    private AdaptiveSession adaptive;
    private Workspace workspace;
    private int layers;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        var proto = ReferenceNetworks.resnet18(13);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(2);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            original = env.createSession(proto.toByteArray(), options);
        }
        int n = batch * 3 * 224 * 224;
        float[] data = new float[n];
        Random r = new Random(1);
        for (int i = 0; i < n; i++) {
            data[i] = (float) r.nextGaussian();
        }
        FloatBuffer direct = ByteBuffer.allocateDirect(n * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        direct.put(data).rewind();
        originalInput = OnnxTensor.createTensor(env, direct, new long[]{batch, 3, 224, 224});
        originalFeed = Map.of("image", originalInput);

        AdaptiveModel model = AdaptiveGraphRewriter.rewrite(OnnxModel.of(proto));
        openStatisticsAsInputs(env, proto, model);
        layers = model.layerCount();
        adaptive = AdaptiveSession.open(model, SessionConfig.cpu().withIntraOpThreads(2));
        workspace = adaptive.newWorkspace(batch);
        workspace.input().put(0, data);
        for (int f = 0; f < batch; f++) {
            for (BatchNormLayer l : model.layers()) {
                workspace.setStatistics(f, l.index(), l.sourceMean(), l.sourceVar());
            }
        }
    }

    @Benchmark
    public Object original() throws OrtException {
        try (OrtSession.Result r = original.run(originalFeed)) {
            return r.get(0);
        }
    }

    @Benchmark
    public Object statisticsAsInputs() throws OrtException {
        try (OrtSession.Result r = withInputs.run(withInputsFeed)) {
            return r.get(0);
        }
    }

    /** The original model whose BatchNorm mean and variance initializers become graph inputs, fed the same values. */
    private void openStatisticsAsInputs(OrtEnvironment env, ai.onnx.proto.OnnxMl.ModelProto proto, AdaptiveModel model)
            throws OrtException {
        var graph = proto.getGraph().toBuilder();
        java.util.Map<String, float[]> statistics = new java.util.HashMap<>();
        for (BatchNormLayer l : model.layers()) {
            for (var node : proto.getGraph().getNodeList()) {
                if (node.getOpType().equals("BatchNormalization") && node.getOutput(0).equals(l.output())) {
                    statistics.put(node.getInput(3), l.sourceMean());
                    statistics.put(node.getInput(4), l.sourceVar());
                }
            }
        }
        var kept = graph.getInitializerList().stream().filter(t -> !statistics.containsKey(t.getName())).toList();
        graph.clearInitializer().addAllInitializer(kept);
        java.util.Map<String, OnnxTensor> feed = new java.util.HashMap<>(originalFeed);
        for (var e : statistics.entrySet()) {
            var type = ai.onnx.proto.OnnxMl.TypeProto.newBuilder().setTensorType(ai.onnx.proto.OnnxMl.TypeProto.Tensor.newBuilder()
                    .setElemType(ai.onnx.proto.OnnxMl.TensorProto.DataType.FLOAT_VALUE)
                    .setShape(ai.onnx.proto.OnnxMl.TensorShapeProto.newBuilder().addDim(
                            ai.onnx.proto.OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(e.getValue().length))));
            graph.addInput(ai.onnx.proto.OnnxMl.ValueInfoProto.newBuilder().setName(e.getKey()).setType(type));
            feed.put(e.getKey(), OnnxTensor.createTensor(env, FloatBuffer.wrap(e.getValue()), new long[]{e.getValue().length}));
        }
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(2);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            withInputs = env.createSession(proto.toBuilder().setGraph(graph).build().toByteArray(), options);
        }
        withInputsFeed = feed;
    }

    @Benchmark
    public Object adaptiveWeight0() throws OrtException {
        return runAdaptive(0f);
    }

    @Benchmark
    public Object adaptiveWeight01() throws OrtException {
        return runAdaptive(0.1f);
    }

    private Object runAdaptive(float weight) throws OrtException {
        for (int f = 0; f < batch; f++) {
            for (int l = 0; l < layers; l++) {
                workspace.setBlend(f, l, weight);
            }
        }
        workspace.run();
        return workspace;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws OrtException {
        workspace.close();
        adaptive.close();
        for (var e : withInputsFeed.entrySet()) {
            if (e.getValue() != originalInput) {
                e.getValue().close();
            }
        }
        withInputs.close();
        originalInput.close();
        original.close();
    }
}
