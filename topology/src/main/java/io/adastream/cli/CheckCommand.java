package io.adastream.cli;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.adastream.adapt.onnx.AdaptiveGraphRewriter;
import io.adastream.adapt.onnx.AdaptiveModel;
import io.adastream.adapt.onnx.BatchNormLayer;
import io.adastream.adapt.onnx.ModelFormatException;
import io.adastream.adapt.onnx.OnnxModel;
import io.adastream.adapt.session.AdaptiveSession;
import io.adastream.adapt.session.SessionConfig;
import io.adastream.adapt.session.Workspace;

import java.io.PrintStream;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * {@code adastream check MODEL.onnx}: rewrites the model, runs the original and the adaptive graph on the same
 * random input, and reports whether blend weight 0 with the source statistics reproduces the original outputs,
 * and what the adaptive graph costs in time.
 */
final class CheckCommand implements AdaStreamCli.Command {

    static final double TOLERANCE = 1e-4;

    @Override
    public String usage() {
        return "check MODEL.onnx [--shape C,H,W] [--batch N] [--threads T] [--runs R]\n"
                + "                                verify the rewrite reproduces the model at blend 0, and time both graphs";
    }

    @Override
    public int run(String[] args, PrintStream out) throws Exception {
        Options o = Options.parse(args);
        OnnxModel model = ModelFiles.load(o.model);
        AdaptiveModel adaptive;
        try {
            adaptive = AdaptiveGraphRewriter.rewrite(model);
        } catch (ModelFormatException e) {
            throw new UsageException(o.model + ": " + e.getMessage(), e);
        }
        if (adaptive.modelInputs().size() != 1) {
            throw new UsageException("check supports models with one input; this one has " + adaptive.modelInputs());
        }
        String input = adaptive.modelInputs().get(0);
        String output = adaptive.modelOutputs().get(0);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(o.threads);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            try (OrtSession original = env.createSession(model.proto().toByteArray(), options);
                 AdaptiveSession session = AdaptiveSession.open(adaptive, SessionConfig.cpu().withIntraOpThreads(o.threads))) {
                long[] shape = batchShape(original.getInputInfo().get(input), o);
                float[] data = randomInput(shape);
                try (Workspace ws = session.newWorkspace(o.batch, Map.of(input, Arrays.copyOfRange(shape, 1, shape.length)));
                     OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(data), shape)) {
                    ws.input(input).put(0, data);
                    for (int f = 0; f < o.batch; f++) {
                        for (BatchNormLayer l : adaptive.layers()) {
                            ws.setStatistics(f, l.index(), l.sourceMean(), l.sourceVar());
                            ws.setBlend(f, l.index(), 0f);
                        }
                    }
                    float[] expected;
                    try (OrtSession.Result r = original.run(Map.of(input, tensor))) {
                        expected = toArray(((OnnxTensor) r.get(output).orElseThrow()).getFloatBuffer());
                    }
                    ws.run();
                    float[] actual = toArray(ws.output(output));
                    double diff = maxScaledDiff(actual, expected);
                    double originalMs = time(o.runs, () -> original.run(Map.of(input, tensor)).close());
                    double adaptiveMs = time(o.runs, ws::run);
                    out.printf(Locale.ROOT, "model:       %s (%d adaptive layers, %d channels)%n", o.model,
                            adaptive.layerCount(), adaptive.totalChannels());
                    out.printf(Locale.ROOT, "input:       %s %s%n", input, Arrays.toString(shape));
                    out.printf(Locale.ROOT, "blend 0 vs original, output '%s': max scaled diff %.2e (tolerance %.0e)%n",
                            output, diff, TOLERANCE);
                    out.printf(Locale.ROOT, "time per batch (%d runs, %d threads): original %.2f ms, adaptive %.2f ms, ratio %.2f%n",
                            o.runs, o.threads, originalMs, adaptiveMs, adaptiveMs / originalMs);
                    boolean ok = diff <= TOLERANCE;
                    out.println(ok ? "check: ok" : "check: FAILED, the adaptive graph does not reproduce the model");
                    return ok ? AdaStreamCli.OK : AdaStreamCli.INTERNAL_ERROR;
                }
            }
        }
    }

    private static long[] batchShape(NodeInfo info, Options o) throws UsageException {
        long[] declared = ((TensorInfo) info.getInfo()).getShape();
        long[] shape = declared.clone();
        if (o.shape != null) {
            if (o.shape.length != declared.length - 1) {
                throw new UsageException("--shape needs " + (declared.length - 1) + " dimensions for input shape "
                        + Arrays.toString(declared));
            }
            System.arraycopy(o.shape, 0, shape, 1, o.shape.length);
        }
        shape[0] = o.batch;
        for (long d : shape) {
            if (d <= 0) {
                throw new UsageException("the input has dynamic dimensions " + Arrays.toString(declared) + "; give --shape");
            }
        }
        return shape;
    }

    private static float[] randomInput(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        Random r = new Random(1);
        float[] data = new float[Math.toIntExact(n)];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) r.nextGaussian();
        }
        return data;
    }

    interface Run {
        void run() throws OrtException;
    }

    private static double time(int runs, Run run) throws OrtException {
        for (int i = 0; i < Math.max(2, runs / 5); i++) {
            run.run();
        }
        long start = System.nanoTime();
        for (int i = 0; i < runs; i++) {
            run.run();
        }
        return (System.nanoTime() - start) / 1e6 / runs;
    }

    private static float[] toArray(FloatBuffer b) {
        float[] a = new float[b.remaining()];
        b.get(a);
        return a;
    }

    private static double maxScaledDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            return Double.POSITIVE_INFINITY;
        }
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            double d = Math.abs((double) a[i] - b[i]) / Math.max(1.0, Math.abs(b[i]));
            worst = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(worst, d);
        }
        return worst;
    }

    /** Parsed arguments of {@code check}. */
    private record Options(String model, long[] shape, int batch, int threads, int runs) {
        static Options parse(String[] args) throws UsageException {
            String model = null;
            long[] shape = null;
            int batch = 1;
            int threads = 2;
            int runs = 20;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.startsWith("--")) {
                    if (i + 1 >= args.length) {
                        throw new UsageException(a + " needs a value");
                    }
                    String v = args[++i];
                    switch (a) {
                        case "--shape" -> shape = parseShape(v);
                        case "--batch" -> batch = positive(a, v);
                        case "--threads" -> threads = positive(a, v);
                        case "--runs" -> runs = positive(a, v);
                        default -> throw new UsageException("unknown option " + a);
                    }
                } else if (model == null) {
                    model = a;
                } else {
                    throw new UsageException("unexpected argument '" + a + "'");
                }
            }
            if (model == null) {
                throw new UsageException("expected MODEL.onnx");
            }
            return new Options(model, shape, batch, threads, runs);
        }

        private static long[] parseShape(String v) throws UsageException {
            try {
                long[] s = Arrays.stream(v.split(",")).mapToLong(x -> Long.parseLong(x.trim())).toArray();
                for (long d : s) {
                    if (d <= 0 || d > 1 << 16) {
                        throw new UsageException("--shape dimensions must be in 1..65536, got " + v);
                    }
                }
                return s;
            } catch (NumberFormatException e) {
                throw new UsageException("--shape expects numbers like 3,224,224, got " + v);
            }
        }

        private static int positive(String name, String v) throws UsageException {
            try {
                int n = Integer.parseInt(v);
                if (n < 1 || n > 4096) {
                    throw new UsageException(name + " must be in 1..4096, got " + v);
                }
                return n;
            } catch (NumberFormatException e) {
                throw new UsageException(name + " expects a number, got " + v);
            }
        }
    }
}
