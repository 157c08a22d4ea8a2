package io.adastream.topology;

import io.adastream.adapt.stats.DomainAdapter;
import io.adastream.adapt.stats.DomainState;
import io.adastream.adapt.stats.FrameMoments;
import io.adastream.adapt.stats.SnapshotCodec;
import io.adastream.adapt.stats.SourceStatistics;
import io.adastream.adapt.stats.StatisticsPrecision;
import io.adastream.adapt.stats.policy.Policies;
import io.adastream.adapt.inference.AdaptationMode;
import io.adastream.adapt.session.SessionConfig;
import io.adastream.models.io.ImageDecoder;
import io.adastream.models.spec.BundledModels;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Bytes written to the domain-state changelog per frame, measured on the changelog topic itself, for each store
 * precision and write interval, on a tiny test model and on the two bundled demo models; each changelog record is
 * the key plus the stored value, so the stored size of a ResNet-50-sized statistics set (26,560 channels) is its
 * bytes per frame at K = 1.
 */
class StateSizeTest {

    @TempDir
    Path stateDir;

    @Test
    void changelogBytesPerFrameFollowPrecisionAndWriteInterval() throws Exception {
        List<String> rows = new ArrayList<>();
        double f32EveryFrame = 0;
        for (StatisticsPrecision precision : StatisticsPrecision.values()) {
            for (int every : new int[]{1, 10}) {
                double perFrame = measure(precision, every, 40);
                rows.add(String.format("| tiny test segmenter (%d channels) | %s | %d | %.0f |", 16, precision, every, perFrame));
                if (precision == StatisticsPrecision.FLOAT32 && every == 1) {
                    f32EveryFrame = perFrame;
                }
                if (every == 10) {
                    double single = measure(precision, 1, 40);
                    assertEquals(single / 10, perFrame, single / 10 * 0.01, "K = 10 writes a tenth as much");
                }
            }
        }
        rows.forEach(System.out::println);
        assertTrue(f32EveryFrame > 0);
    }

    @Test
    void changelogBytesPerFrameOfTheDemoModels() throws Exception {
        for (String name : new String[]{BundledModels.SEGMENTER, BundledModels.DETECTOR}) {
            assumeTrue(BundledModels.available(name), "the bundled demo models are not in this build");
            try (ModelRuntime runtime = new ModelRuntime(BundledModels.spec(name), BundledModels.onnx(name),
                    SessionConfig.cpu().withIntraOpThreads(1), "prior-decay", Map.of(), AdaptationMode.FUSED)) {
                int channels = java.util.Arrays.stream(runtime.source().channels()).sum();
                for (StatisticsPrecision precision : StatisticsPrecision.values()) {
                    double perFrame = measure(runtime, precision, 1, 12, 64);
                    double tenth = measure(runtime, precision, 10, 20, 64);
                    System.out.printf(java.util.Locale.ROOT, "| demo %s (%d channels) | %s | 1 | %.0f |%n| demo %s (%d channels) | %s | 10 | %.0f |%n",
                            name, channels, precision, perFrame, name, channels, precision, tenth);
                    assertEquals(perFrame / 10, tenth, perFrame / 10 * 0.01, "K = 10 writes a tenth as much");
                    // two arrays of one value per channel, plus a small header, the agreement guard's block and, for
                    // the layers it shrinks, their fed statistics (two float32 arrays, float16 in a float16 state)
                    int layers = runtime.source().layers();
                    double statistics = 2.0 * precision.bytesPerValue() * channels
                            + (precision == StatisticsPrecision.FLOAT16 ? 8 * layers * 2 : 0);
                    double guarded = 2.0 * (precision == StatisticsPrecision.FLOAT16 ? 2 : 4) * channels
                            + (precision == StatisticsPrecision.FLOAT16 ? 8 * layers * 2 : 0);
                    double guardBlock = 8 + 24.0 * layers;
                    assertTrue(perFrame >= 0.95 * (statistics + guardBlock) && perFrame <= 1.05 * (statistics
                                    + guardBlock + guarded) + 700,
                            String.format(java.util.Locale.ROOT, "%.0f bytes: statistics %.0f, guard block %.0f, guarded"
                                    + " fed statistics up to %.0f", perFrame, statistics, guardBlock, guarded));
                }
            }
        }
    }

    /** Changelog bytes (key + value) per frame over {@code frames} frames of one domain. */
    private double measure(StatisticsPrecision precision, int every, int frames) throws Exception {
        try (ModelRuntime runtime = TestModels.runtime("prior-decay", Map.of())) {
            return measure(runtime, precision, every, frames, 16);
        }
    }

    private double measure(ModelRuntime runtime, StatisticsPrecision precision, int every, int frames, int size) throws Exception {
        {
            Properties props = new Properties();
            props.put(StreamsConfig.APPLICATION_ID_CONFIG, "size");
            props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:9092");
            props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.resolve(precision + "-" + every).toString());
            AdaptingProcessor.Settings settings = new AdaptingProcessor.Settings(100, true, every, precision,
                    Duration.ofHours(1), false, false);
            TopologyNames names = new TopologyNames("frames", "control", "predictions", "snapshots", "dead-letter");
            try (TopologyTestDriver driver = new TopologyTestDriver(AdaStreamTopology.build(runtime, names, settings,
                    new ImageDecoder(), ServiceMetrics.NONE), props)) {
                TestInputTopic<byte[], byte[]> in = driver.createInputTopic("frames", new ByteArraySerializer(), new ByteArraySerializer());
                for (int i = 0; i < frames; i++) {
                    in.pipeInput("cam".getBytes(StandardCharsets.UTF_8), TestModels.png(i, size, size, 30));
                }
                TestOutputTopic<byte[], byte[]> changelog = driver.createOutputTopic(
                        "size-" + TopologyNames.DOMAIN_STORE + "-changelog", new ByteArrayDeserializer(), new ByteArrayDeserializer());
                long bytes = 0;
                byte[] last = null;
                for (TestRecord<byte[], byte[]> r : changelog.readRecordsToList()) {
                    bytes += r.key().length + r.value().length;
                    last = r.value();
                }
                KeyValueStore<String, byte[]> store = driver.getKeyValueStore(TopologyNames.DOMAIN_STORE);
                assertTrue(last != null && java.util.Arrays.equals(last, store.get("cam")),
                        "the changelog carries the stored value itself");
                return (double) bytes / frames;
            }
        }
    }

    @Test
    void resnet50SizedStateInEachPrecision() {
        // ResNet-50's BatchNorm widths: stem 64; stages of 3, 4, 6, 3 bottlenecks (mid, mid, 4·mid) plus a shortcut
        List<float[]> means = new ArrayList<>();
        List<float[]> vars = new ArrayList<>();
        addLayer(means, vars, 64);
        int[] blocks = {3, 4, 6, 3};
        for (int stage = 0; stage < 4; stage++) {
            int mid = 64 << stage;
            for (int b = 0; b < blocks[stage]; b++) {
                addLayer(means, vars, mid);
                addLayer(means, vars, mid);
                addLayer(means, vars, 4 * mid);
                if (b == 0) {
                    addLayer(means, vars, 4 * mid);
                }
            }
        }
        SourceStatistics source = SourceStatistics.of(means, vars, new byte[32]);
        assertEquals(53, source.layers());
        assertEquals(26_560, java.util.Arrays.stream(source.channels()).sum());
        DomainAdapter adapter = new DomainAdapter(source);
        // an unshrunk domain (guard off) and the same frame under the default guard, which shrinks its layers
        DomainState state = adapter.newDomain(Policies.create("prior-decay", Map.of("guard", "0")));
        DomainState guarded = adapter.newDomain(Policies.create("prior-decay"));
        FrameMoments frame = new FrameMoments(source);
        for (int l = 0; l < source.layers(); l++) {
            java.util.Arrays.fill(frame.var(l), 1.5f);
        }
        adapter.onFrame(state, frame);
        adapter.onFrame(guarded, frame);
        long f64 = 0;
        for (StatisticsPrecision p : StatisticsPrecision.values()) {
            int bytes = StoredDomain.encode(0, SnapshotCodec.write(state, p)).length;
            int guardedBytes = StoredDomain.encode(0, SnapshotCodec.write(guarded, p)).length;
            System.out.printf("| ResNet-50 statistics (26,560 channels) | %s | 1 | %d (guard shrinking: %d) |%n", p,
                    bytes, guardedBytes);
            if (p == StatisticsPrecision.FLOAT64) {
                f64 = bytes;
            }
            assertEquals(2.0 * p.bytesPerValue() * 26_560 + 8 + 24 * 53, bytes,
                    0.02 * bytes + (p == StatisticsPrecision.FLOAT16 ? 53 * 16 : 0) + 600,
                    "two arrays of 26,560 values plus a small header and the guard's 24 bytes per layer");
            // the shrunk layers add their fed statistics: two float32 arrays (float16 with its scales in float16)
            long extra = 0;
            for (int l = 0; l < source.layers(); l++) {
                if (guarded.guard().scale(l) < 1) {
                    extra += p == StatisticsPrecision.FLOAT16 ? 2 * (8 + 2L * source.channels(l)) : 8L * source.channels(l);
                }
            }
            assertTrue(extra > 0, "the default guard shrinks a lone frame's statistics");
            assertEquals(bytes + extra, guardedBytes, p + ": the shrunk layers' fed statistics");
        }
        assertTrue(f64 > 400_000);
    }

    private static void addLayer(List<float[]> means, List<float[]> vars, int channels) {
        means.add(new float[channels]);
        float[] v = new float[channels];
        java.util.Arrays.fill(v, 1f);
        vars.add(v);
    }
}
