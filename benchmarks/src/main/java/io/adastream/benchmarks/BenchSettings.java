package io.adastream.benchmarks;

import io.adastream.adapt.onnx.AdaptiveGraphRewriter.SecondMoment;

/** What {@code scripts/bench.sh} passes to the graph and profile suites as system properties. */
final class BenchSettings {

    /** Intra-op threads of every session ({@code -Dadastream.bench.threads}, {@code BENCH_THREADS}; default 2). */
    static final int THREADS = Integer.getInteger("adastream.bench.threads", 2);

    /** The adaptive graph's second moment ({@code -Dadastream.bench.second.moment}, {@code BENCH_SECOND_MOMENT}). */
    static final SecondMoment SECOND_MOMENT = SecondMoment.of(System.getProperty("adastream.bench.second.moment", "matmul"));

    private BenchSettings() {
    }

    /** "1 intra-op thread", "2 intra-op threads". */
    static String threadsLabel() {
        return THREADS + (THREADS == 1 ? " intra-op thread" : " intra-op threads");
    }
}
