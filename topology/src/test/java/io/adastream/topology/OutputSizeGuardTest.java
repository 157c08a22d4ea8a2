package io.adastream.topology;

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
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Outputs too large for their topic become small dead letters in processing; the next frame is predicted. */
class OutputSizeGuardTest {

    @TempDir
    Path stateDir;

    @Test
    void aPredictionOverItsTopicsLimitIsDeadLetteredAndALetterOverItsOwnLosesItsValue() throws Exception {
        TopologyNames names = new TopologyNames("frames", "control", "predictions", "snapshots", "dead-letter");
        OutputLimits limits = new OutputLimits(1_048_576);
        limits.topicLimit("predictions", 2000);
        limits.topicLimit("dead-letter", 1500);
        List<DeadLetterReason> counted = new ArrayList<>();
        ServiceMetrics metrics = new ServiceMetrics() {
            @Override
            public void deadLetter(DeadLetterReason reason) {
                counted.add(reason);
            }
        };
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "guard-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        ImageDecoder decoder = new ImageDecoder(new DecodeLimits(1 << 20, 1024, 1024, 1024 * 1024));
        try (ModelRuntime runtime = TestModels.runtime("prior-decay", Map.of());
             TopologyTestDriver driver = new TopologyTestDriver(AdaStreamTopology.build(runtime, names,
                     AdaStreamTopologyTest.settings(100, true), null, decoder, metrics, limits), props)) {
            TestInputTopic<byte[], byte[]> frames = driver.createInputTopic("frames", new ByteArraySerializer(), new ByteArraySerializer());
            TestOutputTopic<String, byte[]> predictions = driver.createOutputTopic("predictions", new StringDeserializer(), new ByteArrayDeserializer());
            TestOutputTopic<byte[], byte[]> deadLetters = driver.createOutputTopic("dead-letter", new ByteArrayDeserializer(), new ByteArrayDeserializer());
            frames.pipeInput(frame("noisy", TestModels.png(5, 128, 128, 0)));
            frames.pipeInput(frame("plain", TestModels.png(1, 16, 16, 200)));
            frames.pipeInput(frame("poison", PoisonRecordServiceTest.poisonBmp(0x7fff0000)));

            List<TestRecord<String, byte[]>> predicted = predictions.readRecordsToList();
            assertEquals(List.of("plain"), predicted.stream().map(r -> header(r.headers(), "frame-id")).toList());
            int plainSize = RecordSizes.upperBound(3, predicted.get(0).value().length, predicted.get(0).headers());
            assertTrue(plainSize <= 2000, "the plain frame's prediction fits: " + plainSize);

            List<TestRecord<byte[], byte[]>> letters = deadLetters.readRecordsToList();
            assertEquals(2, letters.size());
            TestRecord<byte[], byte[]> tooLarge = letters.get(0);
            assertEquals("noisy", header(tooLarge.headers(), "frame-id"));
            assertEquals("output-too-large", header(tooLarge.headers(), "error"));
            assertEquals("cam", new String(tooLarge.key(), StandardCharsets.UTF_8));
            assertNull(tooLarge.value());
            Matcher m = Pattern.compile("prediction of (\\d+) bytes is larger than the 2000 bytes topic predictions takes")
                    .matcher(header(tooLarge.headers(), "error-detail"));
            assertTrue(m.matches(), header(tooLarge.headers(), "error-detail"));
            assertTrue(Integer.parseInt(m.group(1)) > 2000);

            TestRecord<byte[], byte[]> poison = letters.get(1);
            assertEquals("poison", header(poison.headers(), "frame-id"));
            assertEquals("corrupt-image", header(poison.headers(), "error"), "the letter keeps its reason");
            assertNull(poison.value(), "the 12 KB frame does not fit the 1,500-byte dead-letter topic");
            String detail = header(poison.headers(), "error-detail");
            Matcher left = Pattern.compile(".*compression 4.*; dead letter of (\\d+) bytes is larger than the 1500 bytes "
                    + "topic dead-letter takes, so its value is left out").matcher(detail);
            assertTrue(left.matches(), detail);
            assertTrue(Integer.parseInt(left.group(1)) > 12 * 1024);
            assertEquals(List.of(DeadLetterReason.OUTPUT_TOO_LARGE, DeadLetterReason.CORRUPT_IMAGE), counted);
        }
    }

    private static TestRecord<byte[], byte[]> frame(String id, byte[] value) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("frame-id", id.getBytes(StandardCharsets.UTF_8));
        return new TestRecord<>("cam".getBytes(StandardCharsets.UTF_8), value, headers);
    }

    private static String header(org.apache.kafka.common.header.Headers headers, String name) {
        var h = headers.lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
