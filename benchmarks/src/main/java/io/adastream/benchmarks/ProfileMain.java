package io.adastream.benchmarks;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.adastream.adapt.onnx.AdaptiveGraphRewriter;
import io.adastream.adapt.onnx.AdaptiveModel;
import io.adastream.adapt.onnx.AdaptiveNames;
import io.adastream.adapt.onnx.BatchNormLayer;
import io.adastream.adapt.onnx.OnnxModel;
import io.adastream.adapt.session.AdaptiveSession;
import io.adastream.adapt.session.SessionConfig;

import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

/**
 * Where the time goes: runs each model as original, floor and adaptive graph (blend 0) under ONNX Runtime's profiler
 * and prints kernel time and kernel count per operator type, per run, with the kernels the adaptive graph adds per
 * BatchNorm layer, and the median run time of each without the profiler (the three taking turns run by run).
 * {@code java -jar benchmarks.jar profile [BATCH] [MODEL ...]} (2 intra-op threads); {@code -Dadastream.profile.keep}
 * keeps the JSON traces.
 */
public final class ProfileMain {

    private static final int WARMUP_RUNS = 20;
    private static final double MEASURE_MICROS = 3e6;

    private ProfileMain() {
    }

    public static void main(String[] args) throws Exception {
        int batch = args.length > 0 && args[0].matches("\\d+") ? Integer.parseInt(args[0]) : 1;
        List<String> names = new ArrayList<>();
        for (String a : args) {
            if (!a.matches("\\d+")) {
                names.add(a);
            }
        }
        List<BenchModel> models = new ArrayList<>();
        for (String name : names.isEmpty() ? BenchModel.NAMES : names) {
            BenchModel m = BenchModel.byName(name);
            if (m != null) {
                models.add(m);
            }
        }
        Path dir = Files.createTempDirectory("adastream-profile");
        for (BenchModel m : models) {
            profile(m, batch, dir);
        }
    }

    static void profile(BenchModel m, int batch, Path dir) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        ModelProto proto = GraphVariants.withDynamicBatch(m.proto());
        AdaptiveModel adaptive = AdaptiveGraphRewriter.rewrite(OnnxModel.of(proto), BenchSettings.SECOND_MOMENT);
        GraphVariants.Floor floor = GraphVariants.statisticsAsInputs(proto, adaptive);
        String input = GraphVariants.inputName(proto);
        long[] shape = new long[m.sampleShape().length + 1];
        shape[0] = batch;
        System.arraycopy(m.sampleShape(), 0, shape, 1, m.sampleShape().length);
        FloatBuffer data = gaussian(Math.toIntExact(Workspaces.product(shape)));

        List<OnnxTensor> owned = new ArrayList<>();
        try {
            OnnxTensor x = own(owned, OnnxTensor.createTensor(env, data, shape));
            Map<String, OnnxTensor> originalFeed = Map.of(input, x);
            Map<String, OnnxTensor> floorFeed = new HashMap<>(originalFeed);
            for (var e : floor.statistics().entrySet()) {
                floorFeed.put(e.getKey(), own(owned, OnnxTensor.createTensor(env, FloatBuffer.wrap(e.getValue()),
                        new long[]{e.getValue().length})));
            }
            Map<String, OnnxTensor> adaptiveFeed = new HashMap<>(originalFeed);
            for (BatchNormLayer l : adaptive.layers()) {
                adaptiveFeed.put(AdaptiveNames.mean(l.index()), own(owned, perSample(env, l.sourceMean(), batch)));
                adaptiveFeed.put(AdaptiveNames.var(l.index()), own(owned, perSample(env, l.sourceVar(), batch)));
            }
            adaptiveFeed.put(AdaptiveNames.BLEND, own(owned, perSample(env, new float[adaptive.layerCount()], batch)));

            byte[][] models = {proto.toByteArray(), floor.proto().toByteArray(), adaptive.adaptiveBytes()};
            Options adaptiveOptions = () -> AdaptiveSession.sessionOptions(SessionConfig.cpu().withIntraOpThreads(BenchSettings.THREADS));
            Options[] options = {ProfileMain::plainOptions, ProfileMain::plainOptions, adaptiveOptions};
            List<Map<String, OnnxTensor>> feeds = List.of(originalFeed, floorFeed, adaptiveFeed);
            double[] medians = interleavedMedianMicros(env, models, options, feeds);
            String[] labels = {"original", "floor", "adaptive"};
            OrtProfile[] profiles = new OrtProfile[3];
            for (int v = 0; v < 3; v++) {
                profiles[v] = profileRuns(env, models[v], options[v], feeds.get(v), dir, m.name() + "-" + labels[v])
                        .withMedian(medians[v]);
            }
            OrtProfile original = profiles[0];
            OrtProfile floorProfile = profiles[1];
            OrtProfile adaptiveProfile = profiles[2];
            print(m.name(), batch, adaptive.layerCount(), original, floorProfile, adaptiveProfile);
        } finally {
            owned.forEach(OnnxTensor::close);
        }
    }

    private static OrtSession.SessionOptions plainOptions() throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(BenchSettings.THREADS);
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        return options;
    }

    /** Opens the options a variant runs with; each session gets its own. */
    @FunctionalInterface
    interface Options {
        OrtSession.SessionOptions open() throws OrtException;
    }

    /** Profiles one variant: warm-up runs, then about three seconds of runs under the profiler. */
    private static OrtProfile profileRuns(OrtEnvironment env, byte[] model, Options options,
                                          Map<String, OnnxTensor> feed, Path dir, String label) throws Exception {
        Path trace;
        try (OrtSession.SessionOptions profiled = options.open()) {
            profiled.enableProfiling(dir.resolve(label).toString());
            try (OrtSession session = env.createSession(model, profiled)) {
                for (int i = 0; i < WARMUP_RUNS; i++) {
                    session.run(feed).close();
                }
                int measured = 0;
                long start = System.nanoTime();
                do {
                    session.run(feed).close();
                    measured++;
                } while ((System.nanoTime() - start) / 1e3 < MEASURE_MICROS && measured < 2000);
                trace = Path.of(session.endProfiling());
            }
        }
        OrtProfile p = OrtProfile.read(trace, WARMUP_RUNS);
        if (System.getProperty("adastream.profile.keep") == null) {
            Files.deleteIfExists(trace);
        } else {
            System.out.println("trace kept: " + trace);
        }
        return p;
    }

    /**
     * The median wall time of one run of each variant without the profiler, the variants taking turns run by run so
     * that the load of a shared machine falls on all of them alike.
     */
    static double[] interleavedMedianMicros(OrtEnvironment env, byte[][] models, Options[] options,
                                            List<Map<String, OnnxTensor>> feeds) throws OrtException {
        int n = models.length;
        OrtSession[] sessions = new OrtSession[n];
        try {
            for (int v = 0; v < n; v++) {
                try (OrtSession.SessionOptions o = options[v].open()) {
                    sessions[v] = env.createSession(models[v], o);
                }
                for (int i = 0; i < WARMUP_RUNS; i++) {
                    sessions[v].run(feeds.get(v)).close();
                }
            }
            List<List<Double>> times = new ArrayList<>();
            for (int v = 0; v < n; v++) {
                times.add(new ArrayList<>());
            }
            long start = System.nanoTime();
            do {
                for (int v = 0; v < n; v++) {
                    long t0 = System.nanoTime();
                    sessions[v].run(feeds.get(v)).close();
                    times.get(v).add((System.nanoTime() - t0) / 1e3);
                }
            } while ((System.nanoTime() - start) / 1e3 < 2 * MEASURE_MICROS && times.get(0).size() < 5000);
            double[] medians = new double[n];
            for (int v = 0; v < n; v++) {
                List<Double> t = times.get(v);
                t.sort(Double::compare);
                medians[v] = t.get(t.size() / 2);
            }
            return medians;
        } finally {
            for (OrtSession s : sessions) {
                if (s != null) {
                    s.close();
                }
            }
        }
    }

    static void print(String model, int batch, int layers, OrtProfile original, OrtProfile floor, OrtProfile adaptive) {
        System.out.printf(Locale.ROOT, "%n### %s, batch %d, %d BN layers (us and kernels per run; %d/%d/%d runs)%n%n",
                model, batch, layers, original.runs(), floor.runs(), adaptive.runs());
        System.out.println("| operator | original us | floor us | adaptive us | original n | floor n | adaptive n | added per layer |");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        TreeSet<String> ops = new TreeSet<>(original.perOperator().keySet());
        ops.addAll(floor.perOperator().keySet());
        ops.addAll(adaptive.perOperator().keySet());
        double[] none = {0, 0};
        List<String> sorted = new ArrayList<>(ops);
        sorted.sort((a, b) -> Double.compare(adaptive.perOperator().getOrDefault(b, none)[0],
                adaptive.perOperator().getOrDefault(a, none)[0]));
        for (String op : sorted) {
            double[] o = original.perOperator().getOrDefault(op, none);
            double[] f = floor.perOperator().getOrDefault(op, none);
            double[] a = adaptive.perOperator().getOrDefault(op, none);
            System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.0f | %.0f | %.0f | %.2f |%n",
                    op, o[0], f[0], a[0], o[1], f[1], a[1], (a[1] - f[1]) / layers);
        }
        System.out.printf(Locale.ROOT, "| **all kernels** | %.1f | %.1f | %.1f | %.0f | %.0f | %.0f | %.2f |%n",
                original.kernelMicros(), floor.kernelMicros(), adaptive.kernelMicros(), original.kernels(),
                floor.kernels(), adaptive.kernels(), (adaptive.kernels() - floor.kernels()) / layers);
        System.out.printf(Locale.ROOT, "| **model_run** | %.1f | %.1f | %.1f | | | | |%n",
                original.runMicros(), floor.runMicros(), adaptive.runMicros());
        System.out.printf(Locale.ROOT, "| **median run, no profiler** | %.1f | %.1f | %.1f | | | | |%n",
                original.medianMicros(), floor.medianMicros(), adaptive.medianMicros());
        System.out.printf(Locale.ROOT, "%nwithout the profiler: floor/original %.2f, adaptive/floor %.2f, adaptive/original %.2f%n",
                floor.medianMicros() / original.medianMicros(), adaptive.medianMicros() / floor.medianMicros(),
                adaptive.medianMicros() / original.medianMicros());
    }

    private static OnnxTensor perSample(OrtEnvironment env, float[] values, int batch) throws OrtException {
        float[] tiled = new float[values.length * batch];
        for (int i = 0; i < batch; i++) {
            System.arraycopy(values, 0, tiled, i * values.length, values.length);
        }
        return OnnxTensor.createTensor(env, FloatBuffer.wrap(tiled), new long[]{batch, values.length});
    }

    private static OnnxTensor own(List<OnnxTensor> owned, OnnxTensor t) {
        owned.add(t);
        return t;
    }

    static FloatBuffer gaussian(int n) {
        Random r = new Random(1);
        FloatBuffer b = Workspaces.direct(n);
        for (int i = 0; i < n; i++) {
            b.put(i, (float) r.nextGaussian());
        }
        return b;
    }
}
