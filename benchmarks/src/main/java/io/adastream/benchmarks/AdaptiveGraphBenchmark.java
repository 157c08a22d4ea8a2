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
 * same 224x224 input, batch 1 and 8, 2 intra-op threads.
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
        originalInput.close();
        original.close();
    }
}
