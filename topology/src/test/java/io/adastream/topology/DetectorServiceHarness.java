package io.adastream.topology;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.adastream.adapt.inference.AdaptationMode;
import io.adastream.adapt.session.SessionConfig;
import io.adastream.adapt.stats.StatisticsPrecision;
import io.adastream.models.io.DecodeLimits;
import io.adastream.models.io.ImageDecoder;
import io.adastream.models.spec.ModelSpec;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A real detector served through the topology under a TopologyTestDriver: frames in, parsed predictions out. */
final class DetectorServiceHarness implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    static final TopologyNames NAMES = new TopologyNames("frames", "control", "predictions", "snapshots", "dead-letter");

    final ModelRuntime runtime;
    private final TopologyTestDriver driver;
    private final TestInputTopic<byte[], byte[]> frames;

    /** Serves {@code onnx} under {@code spec} with the given default policy; Kafka state goes under {@code stateDir}. */
    DetectorServiceHarness(ModelSpec spec, byte[] onnx, String policy, Path stateDir) throws Exception {
        runtime = new ModelRuntime(spec, onnx, SessionConfig.cpu().withIntraOpThreads(1), policy, Map.of(), AdaptationMode.FUSED);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "adastream-detector-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        AdaptingProcessor.Settings settings = new AdaptingProcessor.Settings(100, true, 1, StatisticsPrecision.FLOAT32,
                Duration.ofSeconds(10), true, true);
        driver = new TopologyTestDriver(AdaStreamTopology.build(runtime, NAMES, settings, decoder(), ServiceMetrics.NONE), props);
        frames = driver.createInputTopic("frames", new ByteArraySerializer(), new ByteArraySerializer());
    }

    static ImageDecoder decoder() {
        return new ImageDecoder(new DecodeLimits(8 << 20, 4096, 4096, 4096 * 4096));
    }

    /** Sends the images in order to one domain and returns one parsed prediction per image. */
    List<JsonNode> send(String domain, List<byte[]> images) throws Exception {
        for (int i = 0; i < images.size(); i++) {
            RecordHeaders headers = new RecordHeaders();
            headers.add("frame-id", ("f" + i).getBytes(StandardCharsets.UTF_8));
            frames.pipeInput(new TestRecord<>(domain.getBytes(StandardCharsets.UTF_8), images.get(i), headers));
        }
        TestOutputTopic<String, byte[]> predictions = driver.createOutputTopic("predictions", new StringDeserializer(),
                new ByteArrayDeserializer());
        List<JsonNode> out = new ArrayList<>();
        for (TestRecord<String, byte[]> r : predictions.readRecordsToList()) {
            out.add(JSON.readTree(r.value()));
        }
        assertEquals(images.size(), out.size(), "one prediction per frame");
        return out;
    }

    @Override
    public void close() throws Exception {
        try {
            driver.close();
        } finally {
            runtime.close();
        }
    }
}
