package io.adastream.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The per-operator breakdown of an ONNX Runtime profiling trace (the JSON of {@code SessionOptions.enableProfiling}):
 * kernel time and kernel count per operator type, averaged over the runs after the first {@code warmupRuns}, and
 * the median run time of the same graph without the profiler ({@code NaN} until {@link #withMedian}).
 */
public record OrtProfile(int runs, double runMicros, Map<String, double[]> perOperator, double medianMicros) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads a trace, skipping the kernels of the first {@code warmupRuns} {@code model_run} events. */
    public static OrtProfile read(Path trace, int warmupRuns) throws IOException {
        JsonNode events = JSON.readTree(trace.toFile());
        long measuredFrom = Long.MIN_VALUE;
        int seenRuns = 0;
        int runs = 0;
        double runTime = 0;
        for (JsonNode e : events) {
            if ("Session".equals(e.path("cat").asText()) && "model_run".equals(e.path("name").asText())) {
                seenRuns++;
                if (seenRuns == warmupRuns) {
                    measuredFrom = e.path("ts").asLong() + e.path("dur").asLong();
                } else if (seenRuns > warmupRuns) {
                    runs++;
                    runTime += e.path("dur").asDouble();
                }
            }
        }
        Map<String, double[]> perOp = new TreeMap<>();
        for (JsonNode e : events) {
            if (!"Node".equals(e.path("cat").asText()) || !e.path("name").asText().endsWith("_kernel_time")
                    || e.path("ts").asLong() < measuredFrom) {
                continue;
            }
            double[] acc = perOp.computeIfAbsent(e.path("args").path("op_name").asText("?"), k -> new double[2]);
            acc[0] += e.path("dur").asDouble();
            acc[1] += 1;
        }
        for (double[] acc : perOp.values()) {
            acc[0] /= runs;
            acc[1] /= runs;
        }
        return new OrtProfile(runs, runTime / runs, perOp, Double.NaN);
    }

    /** The same breakdown with the median run time measured without the profiler. */
    public OrtProfile withMedian(double micros) {
        return new OrtProfile(runs, runMicros, perOperator, micros);
    }

    /** Kernel time per run, summed over all operators, in microseconds. */
    public double kernelMicros() {
        return perOperator.values().stream().mapToDouble(a -> a[0]).sum();
    }

    /** Kernels executed per run. */
    public double kernels() {
        return perOperator.values().stream().mapToDouble(a -> a[1]).sum();
    }
}
