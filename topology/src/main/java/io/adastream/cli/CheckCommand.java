package io.adastream.cli;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.adastream.adapt.onnx.AdaptiveModel;
import io.adastream.adapt.onnx.BatchNormLayer;
import io.adastream.adapt.onnx.OnnxModel;
import io.adastream.adapt.session.AdaptiveSession;
import io.adastream.adapt.session.SessionConfig;
import io.adastream.adapt.session.Workspace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;

/**
 * {@code adastream check MODEL.onnx}: rewrites the model, runs the original and the adaptive graph on the same
 * random input, and reports whether blend weight 0 with the source statistics reproduces the original outputs,
 * and what the adaptive graph costs in time.
 */
@Command(name = "check",
        description = "Verify that the adaptive rewrite reproduces the model at blend weight 0 (exit code 1 when it "
                + "does not), and time both graphs on random input.")
final class CheckCommand implements Callable<Integer> {

    static final double TOLERANCE = 1e-4;

    @Parameters(index = "0", paramLabel = "MODEL.onnx", description = "the ONNX model")
    Path model;

    @Option(names = "--shape", paramLabel = "DIM", split = ",",
            description = "the input shape without the batch dimension, e.g. 3,224,224; needed when the model's is dynamic")
    long[] shape;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "1", description = "frames per batch (1..4096)")
    int batch;

    @Option(names = "--threads", paramLabel = "T", defaultValue = "2", description = "ONNX Runtime intra-op threads (1..4096)")
    int threads;

    @Option(names = "--runs", paramLabel = "R", defaultValue = "20", description = "timed runs of each graph (1..4096)")
    int runs;

    private final CommandContext context;

    CheckCommand(CommandContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        Ranges.check("--batch", batch, 1, 4096);
        Ranges.check("--threads", threads, 1, 4096);
        Ranges.check("--runs", runs, 1, 4096);
        if (shape != null) {
            for (long d : shape) {
                Ranges.check("--shape dimensions", d, 1, 1 << 16);
            }
        }
        PrintStream out = context.out();
        OnnxModel onnx = ModelFiles.load(model);
        AdaptiveModel adaptive = ModelFiles.rewrite(model, onnx);
        if (adaptive.modelInputs().size() != 1) {
            throw new UsageException("check supports models with one input; this one has " + adaptive.modelInputs());
        }
        String input = adaptive.modelInputs().get(0);
        String output = adaptive.modelOutputs().get(0);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            try (OrtSession original = env.createSession(onnx.proto().toByteArray(), options);
                 AdaptiveSession session = AdaptiveSession.open(adaptive, SessionConfig.cpu().withIntraOpThreads(threads))) {
                long[] batchShape = batchShape(original.getInputInfo().get(input));
                float[] data = randomInput(batchShape);
                try (Workspace ws = session.newWorkspace(batch, Map.of(input, Arrays.copyOfRange(batchShape, 1, batchShape.length)));
                     OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(data), batchShape)) {
                    ws.input(input).put(0, data);
                    for (int f = 0; f < batch; f++) {
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
                    double originalMs = time(runs, () -> original.run(Map.of(input, tensor)).close());
                    double adaptiveMs = time(runs, ws::run);
                    out.printf(Locale.ROOT, "model:       %s (%d adaptive layers, %d channels)%n", model,
                            adaptive.layerCount(), adaptive.totalChannels());
                    out.printf(Locale.ROOT, "input:       %s %s%n", input, Arrays.toString(batchShape));
                    out.printf(Locale.ROOT, "blend 0 vs original, output '%s': max scaled diff %.2e (tolerance %.0e)%n",
                            output, diff, TOLERANCE);
                    out.printf(Locale.ROOT, "time per batch (%d runs, %d threads): original %.2f ms, adaptive %.2f ms, ratio %.2f%n",
                            runs, threads, originalMs, adaptiveMs, adaptiveMs / originalMs);
                    boolean ok = diff <= TOLERANCE;
                    out.println(ok ? "check: ok" : "check: FAILED, the adaptive graph does not reproduce the model");
                    return ok ? AdaStreamCli.OK : AdaStreamCli.INTERNAL_ERROR;
                }
            }
        }
    }

    private long[] batchShape(NodeInfo info) throws UsageException {
        long[] declared = ((TensorInfo) info.getInfo()).getShape();
        long[] result = declared.clone();
        if (shape != null) {
            if (shape.length != declared.length - 1) {
                throw new UsageException("--shape needs " + (declared.length - 1) + " dimensions for input shape "
                        + Arrays.toString(declared));
            }
            System.arraycopy(shape, 0, result, 1, shape.length);
        }
        result[0] = batch;
        for (long d : result) {
            if (d <= 0) {
                throw new UsageException("the input has dynamic dimensions " + Arrays.toString(declared) + "; give --shape");
            }
        }
        return result;
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

}
