package io.adastream.benchmarks;

import ai.onnx.proto.OnnxMl.ModelProto;
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
import io.adastream.adapt.inference.AdaptationMode;
import io.adastream.adapt.inference.AdaptiveRunner;
import io.adastream.adapt.stats.DomainAdapter;
import io.adastream.adapt.stats.DomainState;
import io.adastream.adapt.stats.FrameOutcome;
import io.adastream.adapt.stats.SourceStatistics;
import io.adastream.adapt.stats.policy.Policies;
import io.adastream.adapt.twotier.BakedSessionCache;
import io.adastream.adapt.twotier.InferencePath;
import io.adastream.adapt.twotier.TierRule;
import io.adastream.adapt.twotier.TierSettings;
import io.adastream.adapt.twotier.TierState;
import io.adastream.adapt.twotier.TwoTierPath;
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

import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The rewritten graph at blend weight 0 and 0.1 against the original model and the floor, per model of
 * {@link BenchModel#table()}, batch 1 and 8, {@link BenchSettings#THREADS} intra-op threads, the same Gaussian input.
 * {@code statisticsAsInputs} (the floor) is the original graph with only each BatchNormalization's mean and variance turned into graph inputs
 * (no moments, no blend): the cost of having statistics that change at run time at all, which every adaptive graph
 * pays (ONNX Runtime then cannot fold the BatchNorm into the convolution). {@code twoTierStationary} is the
 * two-tier path on a stationary stream in its steady state (per batch of one domain's frames).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class AdaptiveGraphBenchmark {

    @Param({"resnet18"})
    public String model;

    @Param({"1", "8"})
    public int batch;

    private OrtSession original;
    private Map<String, OnnxTensor> originalFeed;
    private OrtSession floor;
    private Map<String, OnnxTensor> floorFeed;
    private AdaptiveSession adaptive;
    private Workspace workspace;
    private int layers;

    /** The two-tier path on one stationary domain: its rule, sessions, the domain and a workspace per sub-batch size. */
    private TwoTierPath twoTier;
    private AdaptiveRunner runner;
    private DomainState state;
    private TierState tier;
    private final Map<Integer, Workspace> bySize = new HashMap<>();
    private DomainState[] states;
    private FrameOutcome[] outcomes;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        BenchModel bench = BenchModel.byName(model);
        if (bench == null) {
            throw new IllegalStateException("model " + model + " is not available here");
        }
        ModelProto proto = GraphVariants.withDynamicBatch(bench.proto());
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions o = plainOptions()) {
            original = env.createSession(proto.toByteArray(), o);
        }
        long[] shape = new long[bench.sampleShape().length + 1];
        shape[0] = batch;
        System.arraycopy(bench.sampleShape(), 0, shape, 1, bench.sampleShape().length);
        FloatBuffer data = ProfileMain.gaussian(Math.toIntExact(Workspaces.product(shape)));
        String input = GraphVariants.inputName(proto);
        OnnxTensor x = OnnxTensor.createTensor(env, data, shape);
        originalFeed = Map.of(input, x);

        AdaptiveModel rewritten = AdaptiveGraphRewriter.rewrite(OnnxModel.of(proto));
        GraphVariants.Floor f = GraphVariants.statisticsAsInputs(proto, rewritten);
        floorFeed = new HashMap<>(originalFeed);
        for (var e : f.statistics().entrySet()) {
            floorFeed.put(e.getKey(), OnnxTensor.createTensor(env, FloatBuffer.wrap(e.getValue()),
                    new long[]{e.getValue().length}));
        }
        try (OrtSession.SessionOptions o = plainOptions()) {
            floor = env.createSession(f.proto().toByteArray(), o);
        }

        layers = rewritten.layerCount();
        adaptive = AdaptiveSession.open(rewritten, SessionConfig.cpu().withIntraOpThreads(BenchSettings.THREADS));
        workspace = adaptive.newWorkspace(batch, Map.of(input, bench.sampleShape()));
        workspace.input().put(0, data, 0, data.capacity());
        for (int i = 0; i < batch; i++) {
            for (BatchNormLayer l : rewritten.layers()) {
                workspace.setStatistics(i, l.index(), l.sourceMean(), l.sourceVar());
            }
        }
        setUpTwoTier(OnnxModel.of(proto), rewritten, input, bench.sampleShape(), data);
    }

    /**
     * The two-tier path with its defaults (K_max 32) on a stationary stream (the same input every frame), run until
     * K has reached K_max, so that the benchmark measures the steady state: 31 baked frames, then one adaptive.
     */
    private void setUpTwoTier(OnnxModel original, AdaptiveModel rewritten, String input, long[] sample, FloatBuffer data)
            throws Exception {
        SessionConfig config = SessionConfig.cpu().withIntraOpThreads(BenchSettings.THREADS);
        DomainAdapter adapter = new DomainAdapter(SourceStatistics.of(rewritten));
        runner = new AdaptiveRunner(adaptive, adapter, AdaptationMode.FUSED);
        twoTier = new TwoTierPath(new TierRule(TierSettings.defaults(), adapter.detectorSettings()),
                new BakedSessionCache(original, rewritten.layers(), config, 4));
        state = adapter.newDomain(Policies.defaultPolicy());
        tier = new TierState();
        states = new DomainState[batch];
        java.util.Arrays.fill(states, state);
        outcomes = new FrameOutcome[batch];
        for (int n = 1; n <= batch; n++) {
            Workspace ws = adaptive.newWorkspace(n, Map.of(input, sample));
            FloatBuffer in = ws.input();
            for (int i = 0; i < n; i++) {
                in.put(i * (data.capacity() / batch), data, 0, data.capacity() / batch);
            }
            bySize.put(n, ws);
        }
        for (int frames = 0; frames < 2000 && tier.k() < TierSettings.DEFAULT_K_MAX; frames += batch) {
            twoTierStationary();
        }
        if (tier.k() != TierSettings.DEFAULT_K_MAX) {
            throw new IllegalStateException("the stationary stream did not settle: K = " + tier.k());
        }
    }

    /**
     * One batch of frames of the stationary domain through the two-tier path: each frame routed by the rule, the
     * baked ones in one run of the baked session, the adaptive ones in one run of the adaptive graph (then folded).
     */
    @Benchmark
    public Object twoTierStationary() throws OrtException {
        int baked = 0;
        for (int i = 0; i < batch; i++) {
            if (twoTier.next(state, tier) == InferencePath.BAKED) {
                baked++;
            }
        }
        if (baked > 0) {
            twoTier.runBaked(bySize.get(baked), tier);
        }
        int adaptiveFrames = batch - baked;
        if (adaptiveFrames > 0) {
            Workspace ws = bySize.get(adaptiveFrames);
            runner.run(ws, states, outcomes);
            for (int i = 0; i < adaptiveFrames; i++) {
                twoTier.afterAdaptive(state, tier, outcomes[i]);
            }
        }
        return tier;
    }

    private static OrtSession.SessionOptions plainOptions() throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(BenchSettings.THREADS);
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        return options;
    }

    @Benchmark
    public Object original() throws OrtException {
        try (OrtSession.Result r = original.run(originalFeed)) {
            return r.get(0);
        }
    }

    @Benchmark
    public Object statisticsAsInputs() throws OrtException {
        try (OrtSession.Result r = floor.run(floorFeed)) {
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
        System.out.printf("two-tier: %d bakes, %d baked sessions opened, K = %d%n", tier.bakes(),
                twoTier.cache().builds(), tier.k());
        bySize.values().forEach(Workspace::close);
        twoTier.close();
        runner.close();
        workspace.close();
        adaptive.close();
        floorFeed.values().forEach(OnnxTensor::close);
        floor.close();
        original.close();
    }
}
