package io.adastream.topology;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.adastream.models.io.DecodeLimits;
import io.adastream.models.io.ImageDecoder;
import io.adastream.models.metrics.SegmentationConfusion;
import io.adastream.models.task.Rle;
import io.adastream.models.task.RunLengthEncoding;
import io.adastream.topology.labels.LabelJoiner;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Online accuracy end to end on TopologyTestDriver: labels joined with predictions by frame id when they arrive
 * within the join window of each other (wall clock), in either order, and each domain's adapted and source mIoU over its last N labeled frames reported as
 * metrics, checked against a confusion matrix the test builds from the predictions topic and the labels it sent.
 */
class OnlineAccuracyTopologyTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final TopologyNames NAMES = new TopologyNames("frames", "control", "predictions", "snapshots", "dead-letter");
    static final int WINDOW_FRAMES = 3;
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private ModelRuntime runtime;
    private TestInputTopic<byte[], byte[]> frames;
    private TestInputTopic<byte[], byte[]> labels;
    private TestOutputTopic<String, byte[]> predictions;
    private TestOutputTopic<byte[], byte[]> deadLetters;
    private final RecordedMetrics metrics = new RecordedMetrics();

    /** The accuracy and labeled-frame reports the topology made. */
    static final class RecordedMetrics implements ServiceMetrics {
        final Map<String, Double> accuracy = new HashMap<>();
        final Map<String, Integer> labeled = new HashMap<>();

        @Override
        public void accuracy(String domain, String model, String measure, double value) {
            accuracy.put(domain + "/" + model + "/" + measure, value);
        }

        @Override
        public void labeledFrame(String domain) {
            labeled.merge(domain, 1, Integer::sum);
        }
    }

    @BeforeEach
    void start() throws Exception {
        runtime = TestModels.runtime("prior-decay", Map.of());
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "adastream-accuracy-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        AdaptingProcessor.Settings settings = new AdaptingProcessor.Settings(100, true, 1,
                io.adastream.adapt.stats.StatisticsPrecision.FLOAT32, Duration.ofSeconds(10), false, true);
        var labelSetup = new AdaStreamTopology.OnlineAccuracySetup("labels",
                new LabelJoiner.Settings(Duration.ofMinutes(1), WINDOW_FRAMES));
        driver = new TopologyTestDriver(AdaStreamTopology.build(runtime, NAMES, settings, labelSetup,
                new ImageDecoder(new DecodeLimits(1 << 20, 1024, 1024, 1024 * 1024)), metrics), props);
        frames = driver.createInputTopic("frames", new ByteArraySerializer(), new ByteArraySerializer());
        labels = driver.createInputTopic("labels", new ByteArraySerializer(), new ByteArraySerializer());
        predictions = driver.createOutputTopic("predictions", new StringDeserializer(), new ByteArrayDeserializer());
        deadLetters = driver.createOutputTopic("dead-letter", new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void close() throws Exception {
        driver.close();
        runtime.close();
    }

    @Test
    void labelsJoinPredictionsInEitherOrderAndTheAccuracyIsOverTheLastNLabeledFrames() throws Exception {
        Map<String, byte[]> truth = new HashMap<>();
        for (int i = 0; i < 6; i++) {
            truth.put("f" + i, truthMask(i));
        }
        // f0: the label comes first and waits for its prediction; f1, f2, f3: labels after the predictions
        sendLabel("cam-1", label("f0", truth.get("f0")), T0);
        for (int i = 0; i < 4; i++) {
            sendFrame("cam-1", "f" + i, T0.plusSeconds(i));
        }
        Map<String, JsonNode> predicted = new HashMap<>();
        predictions.readValuesToList().forEach(v -> predicted.put(json(v).get("frame_id").asText(), json(v)));
        assertEquals(1, metrics.labeled.getOrDefault("cam-1", 0), "f0's waiting label was joined with its prediction");
        assertClose(miou(predicted, truth, List.of("f0"), "result"), metrics.accuracy.get("cam-1/adapted/miou"));

        sendLabel("cam-1", label("f1", truth.get("f1")), T0.plusSeconds(30));
        sendLabel("cam-1", label("f2", truth.get("f2")), T0.plusSeconds(40));
        assertEquals(3, metrics.labeled.get("cam-1"));
        assertClose(miou(predicted, truth, List.of("f0", "f1", "f2"), "result"), metrics.accuracy.get("cam-1/adapted/miou"));
        assertClose(miou(predicted, truth, List.of("f0", "f1", "f2"), "source_result"),
                metrics.accuracy.get("cam-1/source/miou"));

        // the window holds the last 3 labeled frames: f0 leaves it
        sendLabel("cam-1", label("f3", truth.get("f3")), T0.plusSeconds(50));
        assertEquals(4, metrics.labeled.get("cam-1"));
        double adapted = metrics.accuracy.get("cam-1/adapted/miou");
        assertClose(miou(predicted, truth, List.of("f1", "f2", "f3"), "result"), adapted);
        assertTrue(Math.abs(adapted - miou(predicted, truth, List.of("f0", "f1", "f2", "f3"), "result")) > 1e-6,
                "the window, not all labeled frames: " + adapted);
        assertClose(miou(predicted, truth, List.of("f1", "f2", "f3"), "source_result"), metrics.accuracy.get("cam-1/source/miou"));

        // a label arriving further than the join window (wall clock) after its frame's prediction is never joined,
        // whatever its timestamp says; a second label of a frame already scored neither
        sendFrame("cam-1", "f4", T0.plusSeconds(60));
        driver.advanceWallClockTime(Duration.ofSeconds(61));
        sendLabel("cam-1", label("f4", truth.get("f4")), T0.plusSeconds(60));
        sendLabel("cam-1", label("f3", truth.get("f3")), T0.plusSeconds(70));
        assertEquals(4, metrics.labeled.get("cam-1"));
        assertEquals(adapted, metrics.accuracy.get("cam-1/adapted/miou"));
        assertTrue(deadLetters.isEmpty());
    }

    @Test
    void badLabelsGoToTheDeadLetterTopicWithTheirReason() throws Exception {
        sendFrame("cam-2", "g0", T0);
        byte[] wrongSize = label("g0", new byte[8 * 8], 8, 8);
        String[][] cases = {
                {"", "{\"frame_id\": \"g0\"}", "missing-key"},
                {"bad id!", new String(label("g0", truthMask(0)), StandardCharsets.UTF_8), "invalid-domain-id"},
                {"cam-2", "not json", "bad-label"},
                {"cam-2", "{\"frame_id\": \"g0\"}", "bad-label"},
                {"cam-2", "{\"frame_id\": 7, \"truth\": {}}", "bad-label"},
                {"cam-2", "{\"frame_id\": \"g0\", \"truth\": {\"width\": 16, \"height\": 16, \"rle\": {\"zebra\": "
                        + "{\"size\": [16, 16], \"counts\": [256]}}}}", "bad-label"},
                {"cam-2", "{\"frame_id\": \"g0\", \"truth\": {\"width\": 16, \"height\": 16, \"rle\": {\"a\": "
                        + "{\"size\": [16, 16], \"counts\": [100, 100]}}}}", "bad-label"},
                {"cam-2", new String(wrongSize, StandardCharsets.UTF_8), "bad-label"},
                {"cam-2", "{\"frame_id\": \"zz\", " + new String(label("g0", truthMask(0)), StandardCharsets.UTF_8)
                        .substring(1), "bad-label"},
        };
        for (String[] c : cases) {
            labels.pipeInput(new TestRecord<>(c[0].isEmpty() ? null : c[0].getBytes(StandardCharsets.UTF_8),
                    c[1].getBytes(StandardCharsets.UTF_8), new RecordHeaders(), T0.plusSeconds(1)));
        }
        List<TestRecord<byte[], byte[]>> dead = deadLetters.readRecordsToList();
        List<String> reasons = new ArrayList<>();
        for (TestRecord<byte[], byte[]> r : dead) {
            reasons.add(new String(r.headers().lastHeader("error").value(), StandardCharsets.UTF_8));
        }
        assertEquals(List.of(cases).stream().map(c -> c[2]).toList(), reasons);
        TestRecord<byte[], byte[]> misfit = dead.stream().filter(r -> new String(r.value(), StandardCharsets.UTF_8)
                .equals(new String(wrongSize, StandardCharsets.UTF_8))).findFirst().orElseThrow();
        assertTrue(new String(misfit.headers().lastHeader("error-detail").value(),
                StandardCharsets.UTF_8).contains("8x8 but the frame is 16x16"), "the label that does not fit its frame is dead-lettered whole");
        String duplicate = new String(dead.get(cases.length - 1).headers().lastHeader("error-detail").value(), StandardCharsets.UTF_8);
        assertTrue(duplicate.contains("Duplicate field 'frame_id'"), duplicate);
        assertFalse(metrics.labeled.containsKey("cam-2"));
        assertNull(metrics.accuracy.get("cam-2/adapted/miou"));
    }

    private void sendFrame(String domain, String frameId, Instant at) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("frame-id", frameId.getBytes(StandardCharsets.UTF_8));
        frames.pipeInput(new TestRecord<>(domain.getBytes(StandardCharsets.UTF_8),
                TestModels.png(frameId.hashCode(), 16, 16, 60), headers, at));
    }

    private void sendLabel(String domain, byte[] value, Instant at) {
        labels.pipeInput(new TestRecord<>(domain.getBytes(StandardCharsets.UTF_8), value, new RecordHeaders(), at));
    }

    /** A 16x16 ground truth: background with a block of class 1 and one of class 2 that move with the frame. */
    static byte[] truthMask(int i) {
        byte[] mask = new byte[16 * 16];
        Random r = new Random(i);
        int x1 = r.nextInt(8);
        int y1 = r.nextInt(8);
        for (int y = y1; y < y1 + 6; y++) {
            for (int x = x1; x < x1 + 8; x++) {
                mask[y * 16 + x] = 1;
            }
        }
        for (int y = 10; y < 16; y++) {
            for (int x = r.nextInt(4); x < 12; x++) {
                mask[y * 16 + x] = 2;
            }
        }
        return mask;
    }

    static byte[] label(String frameId, byte[] mask) throws Exception {
        return label(frameId, mask, 16, 16);
    }

    /** A label value: the frame id and the ground truth as COCO RLE per class name. */
    static byte[] label(String frameId, byte[] mask, int width, int height) throws Exception {
        ObjectNode root = JSON.createObjectNode().put("frame_id", frameId);
        ObjectNode truth = root.putObject("truth").put("width", width).put("height", height);
        ObjectNode rle = truth.putObject("rle");
        String[] names = {"background", "a", "b"};
        for (int c = 1; c < 3; c++) {
            Rle r = RunLengthEncoding.encode(mask, width, height, c);
            ObjectNode entry = rle.putObject(names[c]);
            entry.putArray("size").add(height).add(width);
            var counts = entry.putArray("counts");
            for (int v : r.counts()) {
                counts.add(v);
            }
        }
        return JSON.writeValueAsBytes(root);
    }

    /** The mean IoU of the given frames' predictions ({@code result} or {@code source_result}), pooled. */
    static double miou(Map<String, JsonNode> predicted, Map<String, byte[]> truth, List<String> frameIds, String field) {
        SegmentationConfusion confusion = new SegmentationConfusion(3);
        for (String id : frameIds) {
            confusion.add(truth.get(id), mask(predicted.get(id).get(field)));
        }
        return confusion.meanIoU();
    }

    static byte[] mask(JsonNode result) {
        byte[] mask = new byte[16 * 16];
        String[] names = {"background", "a", "b"};
        for (int c = 1; c < 3; c++) {
            JsonNode entry = result.get("rle").get(names[c]);
            if (entry == null) {
                continue;
            }
            int[] counts = JSON.convertValue(entry.get("counts"), int[].class);
            byte[] binary = RunLengthEncoding.decode(new Rle(16, 16, counts));
            for (int i = 0; i < binary.length; i++) {
                if (binary[i] != 0) {
                    mask[i] = (byte) c;
                }
            }
        }
        return mask;
    }

    static JsonNode json(byte[] value) {
        try {
            return JSON.readTree(value);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static void assertClose(double expected, Double actual) {
        assertTrue(actual != null && Math.abs(expected - actual) < 1e-12, "expected " + expected + ", got " + actual);
    }
}
