package io.adastream.benchmarks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.adastream.adapt.onnx.AdaptiveGraphRewriter;
import io.adastream.adapt.onnx.AdaptiveModel;
import io.adastream.adapt.onnx.OnnxModel;
import io.adastream.adapt.stats.DomainAdapter;
import io.adastream.adapt.stats.DomainState;
import io.adastream.adapt.stats.FrameMoments;
import io.adastream.adapt.stats.SourceStatistics;
import io.adastream.adapt.stats.policy.Policies;
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

import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The per-frame work of each policy (shift score, detector, fold, next blend weights) on ResNet-50's statistics
 * (53 layers, 26,560 channels), and, as the baseline, one CPU inference of ResNet-50 at 224x224.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PolicyUpdateBenchmark {

    /** Each policy's per-frame update. */
    @State(Scope.Thread)
    public static class PolicyState {
        @Param({"source", "adabn", "ema", "momentum-decay", "source-prior", "prior-decay", "balanced"})
        public String policy;

        DomainAdapter adapter;
        DomainState domain;
        FrameMoments[] frames;
        float[] blend;
        int next;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            AdaptiveModel model = AdaptiveGraphRewriter.rewrite(OnnxModel.of(ReferenceNetworks.resnet50(13)));
            SourceStatistics source = SourceStatistics.of(model);
            adapter = new DomainAdapter(source);
            domain = adapter.newDomain(Policies.create(policy, Map.of()));
            blend = new float[source.layers()];
            // 64 frames of moments scattered around the source statistics, replayed in a loop
            Random r = new Random(7);
            frames = new FrameMoments[64];
            for (int f = 0; f < frames.length; f++) {
                frames[f] = new FrameMoments(source);
                for (int l = 0; l < source.layers(); l++) {
                    float[] m = frames[f].mean(l);
                    float[] v = frames[f].var(l);
                    for (int c = 0; c < m.length; c++) {
                        double sd = Math.sqrt(source.var(l, c));
                        m[c] = (float) (source.mean(l, c) + 0.2 * sd * r.nextGaussian());
                        v[c] = (float) (source.var(l, c) * (0.8 + 0.4 * r.nextDouble()));
                    }
                }
            }
        }
    }

    @Benchmark
    public Object policyUpdate(PolicyState s) {
        FrameMoments frame = s.frames[s.next++ & 63];
        s.adapter.blendWeights(s.domain, s.blend);
        return s.adapter.onFrame(s.domain, frame);
    }

    private OrtSession resnet50;
    private OnnxTensor image;
    private Map<String, OnnxTensor> feed;

    @Setup(Level.Trial)
    public void setUpInference() throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(2);
            resnet50 = env.createSession(ReferenceNetworks.resnet50(13).toByteArray(), options);
        }
        image = OnnxTensor.createTensor(env, new float[1][3][224][224]);
        feed = Map.of("image", image);
    }

    @Benchmark
    public Object resnet50Inference() throws OrtException {
        try (OrtSession.Result r = resnet50.run(feed)) {
            return r.get(0);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws OrtException {
        image.close();
        resnet50.close();
    }
}
