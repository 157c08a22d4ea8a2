package io.adastream.benchmarks;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs a benchmark suite with JMH and prints each variant's time as a ratio to the baseline measured in the
 * same run: {@code java -jar benchmarks.jar graph|policy [--quick] [--out FILE]} (graph: the table of
 * {@link GraphTable}, also written to FILE); {@code profile [BATCH] [MODEL ...]} runs {@link ProfileMain};
 * {@code memory} runs {@link BakedSessionMemory}; {@code service [FRAMES]} runs
 * {@link ServiceBatchingBenchmark} (not JMH: the whole service against the bare loop, over stream threads and batch sizes).
 */
public final class BenchmarkMain {

    private BenchmarkMain() {
    }

    public static void main(String[] args) throws Exception {
        String suite = args.length > 0 ? args[0] : "graph";
        if (suite.equals("service")) {
            ServiceBatchingBenchmark.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (suite.equals("memory")) {
            BakedSessionMemory.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (suite.equals("profile")) {
            ProfileMain.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        java.util.List<String> argList = java.util.Arrays.asList(args);
        boolean quick = argList.contains("--quick");
        boolean graph = suite.equals("graph");
        ChainedOptionsBuilder options = baseOptions(quick, graph);
        switch (suite) {
            case "graph" -> options.include(AdaptiveGraphBenchmark.class.getSimpleName());
            case "policy" -> options.include("PolicyUpdateBenchmark");
            default -> throw new IllegalArgumentException("unknown suite '" + suite + "' (graph, policy, service)");
        }
        Collection<RunResult> results = graph ? runGraphRowByRow(quick) : new Runner(options.build()).run();
        if (graph) {
            printRatios(results, "original");
            String table = GraphTable.markdown(results);
            System.out.println();
            System.out.println(table);
            int out = argList.indexOf("--out");
            if (out >= 0 && out + 1 < args.length) {
                java.nio.file.Path path = java.nio.file.Path.of(args[out + 1]);
                java.nio.file.Files.writeString(path, "# `scripts/bench.sh graph`\n\nWritten by the benchmark run of "
                        + java.time.LocalDate.now() + " (" + BenchSettings.threadsLabel() + ", CPU).\n\n" + table);
                System.out.println("table written to " + path);
            }
        } else {
            printPolicyShares(results);
        }
    }

    /** The JMH options of a suite; graph: up to 60 benchmarks (6 models, 2 batches, 5 variants) in about 25 minutes on 2 cores. */
    static ChainedOptionsBuilder baseOptions(boolean quick, boolean graph) {
        return new OptionsBuilder()
                .forks(1)
                .warmupIterations(quick ? 2 : graph ? 4 : 5)
                .warmupTime(TimeValue.seconds(quick || graph ? 1 : 2))
                .measurementIterations(quick ? 3 : graph ? 6 : 8)
                .measurementTime(TimeValue.seconds(quick ? 1 : 2))
                .jvmArgsAppend("-Xmx2g", "-Dadastream.bench.threads=" + BenchSettings.THREADS);
    }

    /**
     * Runs the graph suite one table row (model and batch) at a time, so that the four variants of a row are measured
     * minutes, not a quarter of an hour, apart: on a shared machine the load then falls on them alike.
     */
    static Collection<RunResult> runGraphRowByRow(boolean quick) throws Exception {
        java.util.List<RunResult> all = new java.util.ArrayList<>();
        for (BenchModel m : BenchModel.table()) {
            for (String batch : new String[]{"1", "8"}) {
                all.addAll(new Runner(baseOptions(quick, true).include(AdaptiveGraphBenchmark.class.getSimpleName())
                        .param("model", m.name()).param("batch", batch).build()).run());
            }
        }
        return all;
    }

    /** Prints each policy's per-frame update time as a share of one ResNet-50 CPU inference of the same run. */
    static void printPolicyShares(Collection<RunResult> results) {
        double inference = results.stream()
                .filter(r -> r.getParams().getBenchmark().endsWith("resnet50Inference"))
                .mapToDouble(r -> r.getPrimaryResult().getScore()).findFirst().orElse(Double.NaN);
        System.out.println();
        System.out.printf(Locale.ROOT, "ResNet-50 CPU inference (224x224, batch 1, 2 threads): %.0f us%n", inference);
        System.out.printf(Locale.ROOT, "%-16s %14s %12s%n", "policy", "ns per frame", "% of infer.");
        for (RunResult r : results) {
            if (!r.getParams().getBenchmark().endsWith("policyUpdate")) {
                continue;
            }
            double us = r.getPrimaryResult().getScore();
            System.out.printf(Locale.ROOT, "%-16s %14.0f %11.3f%%%n", r.getParams().getParam("policy"), us * 1000,
                    100 * us / inference);
        }
    }

    /** Groups results by their parameters and prints every benchmark's score over the baseline's. */
    static void printRatios(Collection<RunResult> results, String baseline) {
        Map<String, Map<String, double[]>> byParams = new TreeMap<>();
        for (RunResult r : results) {
            String method = r.getParams().getBenchmark().replaceAll(".*\\.", "");
            String params = r.getParams().getParamsKeys().stream()
                    .map(k -> k + "=" + r.getParams().getParam(k)).reduce((a, b) -> a + " " + b).orElse("");
            byParams.computeIfAbsent(params, k -> new TreeMap<>()).put(method,
                    new double[]{r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError()});
        }
        System.out.println();
        System.out.println("ratio to '" + baseline + "' (same run; lower is better)");
        System.out.printf(Locale.ROOT, "%-12s %-20s %12s %10s %8s%n", "params", "benchmark", "ms/op", "± err", "ratio");
        byParams.forEach((params, methods) -> {
            double[] base = methods.get(baseline);
            methods.forEach((method, score) -> System.out.printf(Locale.ROOT, "%-12s %-20s %12.3f %10.3f %8.3f%n",
                    params, method, score[0], score[1], base == null ? Double.NaN : score[0] / base[0]));
        });
    }
}
