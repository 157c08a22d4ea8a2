package io.adastream.topology;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.adastream.adapt.stats.StatisticsPrecision;
import io.adastream.adapt.twotier.BakedStatistics;
import io.adastream.adapt.twotier.TierSettings;
import io.adastream.adapt.twotier.TierState;
import io.adastream.adapt.twotier.TierStateCodec;
import io.adastream.models.io.DecodeLimits;
import io.adastream.models.io.ImageDecoder;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The two-tier path in the topology: which frames run baked, and that a baked frame predicts with exactly the bake
 * the stores hold (the crash-and-restart reliability test runs the service with the path on).
 */
class TwoTierTopologyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FRAMES = 100;

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private ModelRuntime runtime;
    private TestInputTopic<byte[], byte[]> frames;
    private TestOutputTopic<String, byte[]> predictions;

    private void start(Path dir) throws Exception {
        runtime = TestModels.runtime("prior-decay", Map.of());
        AdaptingProcessor.Settings settings = new AdaptingProcessor.Settings(100, true, 1, StatisticsPrecision.FLOAT64,
                Duration.ofSeconds(10), true, false).withTwoTier(new AdaptingProcessor.TwoTier(
                new TierSettings(8, 0.02, TierSettings.DEFAULT_REBAKE_DISTANCE), 2));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "adastream-two-tier-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, dir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        driver = new TopologyTestDriver(AdaStreamTopology.build(runtime, AdaStreamTopologyTest.NAMES, settings,
                new ImageDecoder(new DecodeLimits(1 << 20, 1024, 1024, 1024 * 1024)), ServiceMetrics.NONE), props);
        frames = driver.createInputTopic("frames", new ByteArraySerializer(), new ByteArraySerializer());
        predictions = driver.createOutputTopic("predictions", new StringDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void stop() throws Exception {
        if (driver != null) {
            driver.close();
            driver = null;
        }
        if (runtime != null) {
            runtime.close();
            runtime = null;
        }
    }

    private JsonNode send(String domain, int i) throws Exception {
        RecordHeaders headers = new RecordHeaders();
        headers.add("frame-id", ("f" + i).getBytes(StandardCharsets.UTF_8));
        frames.pipeInput(new TestRecord<>(domain.getBytes(StandardCharsets.UTF_8), frame(i), headers));
        return JSON.readTree(predictions.readValue());
    }

    /** A stationary stream: random scenes of one brightness. */
    private static byte[] frame(int i) {
        return TestModels.png(1000 + i, 16, 16, 40);
    }

    /** The domain's two-tier state as stored: counters from its entry, the bake from the bake store. */
    private TierState storedTier(String domain) {
        KeyValueStore<String, byte[]> domains = driver.getKeyValueStore(TopologyNames.DOMAIN_STORE);
        KeyValueStore<String, byte[]> bakes = driver.getKeyValueStore(TopologyNames.BAKE_STORE);
        return TierStateCodec.read(StoredDomain.tierCounters(domains.get(domain)), bakes.get(domain), runtime.source());
    }

    @Test
    void bakedFramesPredictWithExactlyTheStoredBakedStatistics() throws Exception {
        start(stateDir.resolve("a"));
        List<String> outcomes = new ArrayList<>();
        int checked = 0;
        for (int i = 0; i < FRAMES; i++) {
            JsonNode p = send("cam-1", i);
            String outcome = p.path("adaptation").path("outcome").asText();
            outcomes.add(outcome);
            if (outcome.equals("baked")) {
                BakedStatistics baked = storedTier("cam-1").baked();
                assertNotNull(baked);
                float[][] mean = new float[baked.layers()][];
                float[][] var = new float[baked.layers()][];
                for (int l = 0; l < baked.layers(); l++) {
                    mean[l] = baked.mean(l);
                    var[l] = baked.var(l);
                }
                int[] expected = ReferenceSegmentation.classes(TestModels.segmenter(), mean, var, frame(i));
                int[] predicted = ReferenceSegmentation.decodeMasks(p.path("result").path("rle"),
                        p.path("result").path("classes"), 16, 16);
                assertArrayEquals(expected, predicted, "frame " + i);
                assertEquals(i + 1, p.path("adaptation").path("version").asLong(), "a baked frame is observed too");
                checked++;
            }
        }
        // prior-decay: the next fold weight is 1/(17 + t) after t frames, under the stable weight 0.02 of this test
        // from t = 33; the
        // 33rd frame bakes (K = 2), the 34th is the first baked one; then K = 2, 4, 8, 8, ...
        assertEquals(33, outcomes.indexOf("baked"), outcomes.toString());
        for (int i = 0; i < 33; i++) {
            assertEquals("folded", outcomes.get(i), "frame " + i);
        }
        long baked = outcomes.stream().filter("baked"::equals).count();
        // frames 34..100 (67): adaptive at 35, 39, 47, 55, ..., 95 (every 8th from 47): 2 + 7 = 9 adaptive
        assertEquals(67 - 9, baked, outcomes.toString());
        assertEquals(baked, checked);
        // the entry still holds the snapshot after the counters: baked frames folded nothing
        KeyValueStore<String, byte[]> domains = driver.getKeyValueStore(TopologyNames.DOMAIN_STORE);
        assertEquals(FRAMES - baked, io.adastream.adapt.stats.SnapshotCodec.read(
                StoredDomain.snapshot(domains.get("cam-1")), runtime.source()).frameCount());
        TierState tier = storedTier("cam-1");
        assertEquals(8, tier.k());
        assertEquals(FRAMES - 95, tier.sinceAdaptive(), "the last adaptive frame was the 95th");
    }

}
