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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code adastream check MODEL.onnx [--spec SPEC.json [--images DIR]]}: rewrites the model, runs the original and
 * the adaptive graph on the same inputs (real frames, a synthetic scene at the spec's scale, or N(0,1) noise without
 * a spec), reports whether blend weight 0 with the source statistics reproduces every original output, names the
 * first BatchNorm layer whose output diverges when it does not, and times both graphs.
 */
@Command(name = "check",
        description = "Verify that the adaptive rewrite reproduces the model at blend weight 0 (exit code 1 when it "
                + "does not, naming the first diverging BatchNorm layer), on real frames with --spec and --images, and time "
                + "both graphs.")
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

    @Option(names = "--spec", paramLabel = "SPEC.json",
            description = "the model spec: inputs are built through its pre-processing (from --images, or from a"
                    + " synthetic scene at the model's input scale when no images are given)")
    Path spec;

    @Option(names = "--images", paramLabel = "DIR", description = "compare on these images (needs --spec)")
    Path images;

    @Option(names = "--frames", paramLabel = "N", defaultValue = "8", description = "the most images to compare on (1..4096)")
    int frames;

    private final CommandContext context;

    CheckCommand(CommandContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        Ranges.check("--batch", batch, 1, 4096);
        Ranges.check("--threads", threads, 1, 4096);
        Ranges.check("--runs", runs, 1, 4096);
        Ranges.check("--frames", frames, 1, 4096);
        if (shape != null) {
            for (long d : shape) {
                Ranges.check("--shape dimensions", d, 1, 1 << 16);
            }
        }
        if (images != null && spec == null) {
            throw new UsageException("--images needs --spec (the pre-processing the images go through)");
        }
        PrintStream out = context.out();
        OnnxModel onnx = ModelFiles.load(model);
        AdaptiveModel adaptive = ModelFiles.rewrite(model, onnx);
        if (adaptive.modelInputs().size() != 1) {
            throw new UsageException("check supports models with one input; this one has " + adaptive.modelInputs());
        }
        String input = adaptive.modelInputs().get(0);
        List<String> outputs = adaptive.modelOutputs();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            try (OrtSession original = env.createSession(onnx.proto().toByteArray(), options);
                 AdaptiveSession session = AdaptiveSession.open(adaptive, SessionConfig.cpu().withIntraOpThreads(threads))) {
                CheckInputs inputs = CheckInputs.build(spec, images, frames, onnx,
                        batchShape(original.getInputInfo().get(input)));
                long[] sample = inputs.sampleShape();
                long[] one = new long[sample.length + 1];
                one[0] = 1;
                System.arraycopy(sample, 0, one, 1, sample.length);
                double diff = 0;
                int worstFrame = 0;
                try (Workspace ws = session.newWorkspace(1, Map.of(input, sample))) {
                    atSource(ws, adaptive, 1);
                    for (int i = 0; i < inputs.samples().size(); i++) {
                        float[] data = inputs.samples().get(i);
                        ws.input(input).put(0, data);
                        ws.run();
                        try (OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(data), one);
                             OrtSession.Result r = original.run(Map.of(input, tensor))) {
                            for (String o : outputs) {
                                if (!Workspace.readable(ws.outputType(o))) {
                                    continue;   // not fetched by the service either
                                }
                                double d = OutputComparison.maxScaledDiff(ws.outputAsFloats(o),
                                        OutputComparison.values(r, o));
                                if (!(d <= diff)) {
                                    diff = d;
                                    worstFrame = i;
                                }
                            }
                        }
                    }
                }
                long[] batchShape = one.clone();
                batchShape[0] = batch;
                float[] batchData = new float[Math.toIntExact(product(batchShape))];
                for (int f = 0; f < batch; f++) {
                    float[] s0 = inputs.samples().get(f % inputs.samples().size());
                    System.arraycopy(s0, 0, batchData, f * s0.length, s0.length);
                }
                double originalMs;
                double adaptiveMs;
                try (Workspace ws = session.newWorkspace(batch, Map.of(input, sample));
                     OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(batchData), batchShape)) {
                    atSource(ws, adaptive, batch);
                    ws.input(input).put(0, batchData);
                    originalMs = time(runs, () -> original.run(Map.of(input, tensor)).close());
                    adaptiveMs = time(runs, ws::run);
                }
                out.printf(Locale.ROOT, "model:       %s (%d adaptive layers, %d channels)%n", model,
                        adaptive.layerCount(), adaptive.totalChannels());
                out.printf(Locale.ROOT, "input:       %s %s, %s%n", input, Arrays.toString(batchShape), inputs.description());
                out.printf(Locale.ROOT, "blend 0 vs original, outputs %s on %d input(s): max scaled diff %.2e (tolerance %.0e)%n",
                        outputs, inputs.samples().size(), diff, TOLERANCE);
                out.printf(Locale.ROOT, "time per batch (%d runs, %d threads): original %.2f ms, adaptive %.2f ms, ratio %.2f%n",
                        runs, threads, originalMs, adaptiveMs, adaptiveMs / originalMs);
                boolean ok = diff <= TOLERANCE;
                if (!ok) {
                    LayerDivergence.Result first = LayerDivergence.first(onnx.proto(), adaptive,
                            inputs.samples().get(worstFrame), one, TOLERANCE, threads);
                    if (first.layer() == null) {
                        out.printf(Locale.ROOT, "every BatchNorm layer's output agrees within %.0e (largest %.2e); the "
                                + "difference arises after the last one%n", TOLERANCE, first.upstream());
                    } else {
                        out.printf(Locale.ROOT, "first diverging BatchNorm layer: #%d '%s' (output '%s'): max scaled diff "
                                        + "%.2e; the layers before it agree within %.2e%n", first.layer().index(),
                                first.layer().displayName(), first.layer().output(), first.diff(), first.upstream());
                    }
                }
                out.println(ok ? "check: ok" : "check: FAILED, the adaptive graph does not reproduce the model");
                return ok ? AdaStreamCli.OK : AdaStreamCli.INTERNAL_ERROR;
            }
        }
    }

    private static void atSource(Workspace ws, AdaptiveModel adaptive, int frames) {
        for (int f = 0; f < frames; f++) {
            for (BatchNormLayer l : adaptive.layers()) {
                ws.setStatistics(f, l.index(), l.sourceMean(), l.sourceVar());
                ws.setBlend(f, l.index(), 0f);
            }
        }
    }

    static long product(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
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

}
