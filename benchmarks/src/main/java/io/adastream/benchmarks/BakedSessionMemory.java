package io.adastream.benchmarks;

import ai.onnx.proto.OnnxMl.ModelProto;
import io.adastream.adapt.onnx.AdaptiveGraphRewriter;
import io.adastream.adapt.onnx.AdaptiveModel;
import io.adastream.adapt.onnx.BatchNormLayer;
import io.adastream.adapt.onnx.OnnxModel;
import io.adastream.adapt.session.AdaptiveSession;
import io.adastream.adapt.session.SessionConfig;
import io.adastream.adapt.session.Workspace;
import io.adastream.adapt.twotier.BakedSessionCache;
import io.adastream.adapt.twotier.BakedStatistics;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The resident memory one baked session costs ({@code scripts/bench.sh memory}): per model of the table, the
 * process's resident set ({@code VmRSS} of /proc/self/status, native memory included, which is where ONNX Runtime
 * keeps its weights, pre-packed kernels and arena) before and after opening {@value #SESSIONS} baked sessions of
 * distinct statistics and running one batch-1 frame through each (the first run allocates the arena), divided by
 * the number of sessions.
 */
public final class BakedSessionMemory {

    static final int SESSIONS = 8;

    private BakedSessionMemory() {
    }

    public static void main(String[] args) throws Exception {
        System.out.printf(Locale.ROOT, "%-22s %12s %16s %10s%n", "model", "model bytes", "RSS per session", "x model");
        for (BenchModel m : BenchModel.table()) {
            ModelProto proto = GraphVariants.withDynamicBatch(m.proto());
            OnnxModel original = OnnxModel.of(proto);
            AdaptiveModel adaptive = AdaptiveGraphRewriter.rewrite(original);
            SessionConfig config = SessionConfig.cpu().withIntraOpThreads(2);
            String input = GraphVariants.inputName(proto);
            try (AdaptiveSession session = AdaptiveSession.open(adaptive, config);
                 Workspace ws = session.newWorkspace(1, Map.of(input, m.sampleShape()));
                 BakedSessionCache cache = new BakedSessionCache(original, adaptive.layers(), config, SESSIONS)) {
                FloatBuffer data = ProfileMain.gaussian(ws.input().capacity());
                ws.input().put(0, data, 0, data.capacity());
                cache.session(statistics(adaptive, 0)).run(ws); // ONNX Runtime's one-time allocations
                System.gc();
                long before = rssBytes();
                for (int k = 1; k <= SESSIONS; k++) {
                    cache.session(statistics(adaptive, k)).run(ws);
                }
                long after = rssBytes();
                // the cache keeps SESSIONS sessions: the first was closed when the last opened
                double perSession = (after - before) / (double) (SESSIONS - 1);
                int bytes = proto.getSerializedSize();
                System.out.printf(Locale.ROOT, "%-22s %12d %13.1f MB %10.2f%n", m.name(), bytes, perSession / 1e6,
                        perSession / bytes);
            }
        }
    }

    /** The source statistics with every mean moved by {@code k}·0.01 (distinct sessions, same shapes). */
    private static BakedStatistics statistics(AdaptiveModel adaptive, int k) {
        float[][] mean = new float[adaptive.layerCount()][];
        float[][] var = new float[adaptive.layerCount()][];
        for (BatchNormLayer l : adaptive.layers()) {
            mean[l.index()] = l.sourceMean().clone();
            var[l.index()] = l.sourceVar().clone();
            for (int c = 0; c < mean[l.index()].length; c++) {
                mean[l.index()][c] += 0.01f * k;
            }
        }
        return BakedStatistics.of(mean, var);
    }

    static long rssBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IOException("no VmRSS in /proc/self/status");
    }
}
