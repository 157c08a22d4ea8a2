package io.adastream.topology;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.adastream.adapt.stats.DomainState;
import io.adastream.adapt.stats.SnapshotCodec;
import io.adastream.models.io.DecodeLimits;
import io.adastream.models.io.ImageDecoder;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every path of the topology, on TopologyTestDriver with a tiny segmentation model. */
class AdaStreamTopologyTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final TopologyNames NAMES = new TopologyNames("frames", "control", "predictions", "snapshots", "dead-letter");

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private int runs;
    private ModelRuntime runtime;
    private TestInputTopic<byte[], byte[]> frames;
    private TestInputTopic<byte[], byte[]> control;
    private TestInputTopic<String, byte[]> snapshotsIn;
    private TestOutputTopic<String, byte[]> predictions;
    private TestOutputTopic<String, byte[]> snapshots;
    private TestOutputTopic<byte[], byte[]> deadLetters;

    private void start(AdaptingProcessor.Settings settings) throws Exception {
        start(settings, Map.of());
    }

    private void start(AdaptingProcessor.Settings settings, Map<String, String> policyParameters) throws Exception {
        runtime = TestModels.runtime("prior-decay", policyParameters);
        ImageDecoder decoder = new ImageDecoder(new DecodeLimits(1 << 20, 1024, 1024, 1024 * 1024));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "adastream-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.resolve("run-" + runs++).toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        driver = new TopologyTestDriver(AdaStreamTopology.build(runtime, NAMES, settings, decoder, ServiceMetrics.NONE), props);
        frames = driver.createInputTopic("frames", new ByteArraySerializer(), new ByteArraySerializer());
        control = driver.createInputTopic("control", new ByteArraySerializer(), new ByteArraySerializer());
        snapshotsIn = driver.createInputTopic("snapshots", new StringSerializer(), new ByteArraySerializer());
        predictions = driver.createOutputTopic("predictions", new StringDeserializer(), new ByteArrayDeserializer());
        snapshots = driver.createOutputTopic("snapshots", new StringDeserializer(), new ByteArrayDeserializer());
        deadLetters = driver.createOutputTopic("dead-letter", new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    static AdaptingProcessor.Settings settings(int maxDomains, boolean evict) {
        return new AdaptingProcessor.Settings(maxDomains, evict, 1, io.adastream.adapt.stats.StatisticsPrecision.FLOAT32,
                Duration.ofSeconds(10), true, false);
    }

    @AfterEach
    void close() throws Exception {
        if (driver != null) {
            driver.close();
            driver = null;
        }
        if (runtime != null) {
            runtime.close();
            runtime = null;
        }
    }

    private void sendFrame(String domain, byte[] value, String frameId) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("frame-id", frameId.getBytes(StandardCharsets.UTF_8));
        frames.pipeInput(new TestRecord<>(domain == null ? null : domain.getBytes(StandardCharsets.UTF_8), value, headers));
    }

    private KeyValueStore<String, byte[]> store() {
        return driver.getKeyValueStore(TopologyNames.DOMAIN_STORE);
    }

    private DomainState stored(String domain) throws Exception {
        byte[] v = store().get(domain);
        return v == null ? null : SnapshotCodec.read(StoredDomain.snapshot(v), runtime.source());
    }

    @Test
    void aFramePredictsAndFoldsIntoItsDomain() throws Exception {
        // b_max = 0: a frame is predicted with its domain's statistics from before it, which a plain model can check
        start(settings(100, true), Map.of("b-max", "0"));
        DomainState beforeLast = null;
        for (int i = 0; i < 3; i++) {
            if (i == 2) {
                beforeLast = stored("cam-1");
            }
            sendFrame("cam-1", TestModels.png(i, 16, 16, 40), "f" + i);
        }
        List<TestRecord<String, byte[]>> out = predictions.readRecordsToList();
        assertEquals(3, out.size());
        JsonNode last = JSON.readTree(out.get(2).value());
        assertEquals("f2", last.get("frame_id").asText());
        assertEquals("cam-1", last.get("domain").asText());
        assertEquals("segmentation", last.get("task").asText());
        assertEquals(runtime.adaptive().fingerprintHex(), last.get("model").get("sha256").asText());
        assertEquals("prior-decay", last.get("adaptation").get("policy").asText());
        assertEquals(3, last.get("adaptation").get("frames").asInt());
        assertEquals(16, last.get("result").get("width").asInt());
        // the mask: every pixel in at most one class's runs, each the class the original model with those statistics predicts
        int[] expected = ReferenceSegmentation.classes(TestModels.segmenter(), beforeLast, TestModels.png(2, 16, 16, 40));
        int[] predicted = ReferenceSegmentation.decodeMasks(last.get("result").get("rle"), last.get("result").get("classes"), 16, 16);
        assertArrayEquals(expected, predicted);
        assertTrue(Arrays.stream(expected).distinct().count() > 1, "the check needs a mask of more than one class");
        assertEquals(3, stored("cam-1").frameCount());
        assertTrue(deadLetters.isEmpty());
    }

    @Test
    void everyBadFrameGoesToTheDeadLetterTopicUntouched() throws Exception {
        start(settings(100, true));
        sendFrame("cam-1", TestModels.png(1, 16, 16, 0), "good");
        DomainState before = stored("cam-1");
        byte[] png = TestModels.png(2, 16, 16, 0);
        byte[] hugePng = Arrays.copyOf(png, png.length);
        ByteBuffer.wrap(hugePng, 16, 8).putInt(100_000).putInt(100_000); // IHDR width, height
        float[] nan = new float[3 * 16 * 16];
        nan[5] = Float.NaN;
        float[] overflow = new float[3 * 16 * 16];
        Arrays.fill(overflow, 3e38f);
        record Case(String name, byte[] key, byte[] value, String contentType, String shape, DeadLetterReason reason) {
        }
        List<Case> cases = List.of(
                new Case("no key", null, png, null, null, DeadLetterReason.MISSING_KEY),
                new Case("10 KB key", "x".repeat(10_000).getBytes(StandardCharsets.UTF_8), png, null, null, DeadLetterReason.INVALID_DOMAIN_ID),
                new Case("control characters", "cam\u0000\n1".getBytes(StandardCharsets.UTF_8), png, null, null, DeadLetterReason.INVALID_DOMAIN_ID),
                new Case("invalid UTF-8", new byte[]{(byte) 0xC3, (byte) 0x28}, png, null, null, DeadLetterReason.INVALID_DOMAIN_ID),
                new Case("empty value", "cam-1".getBytes(StandardCharsets.UTF_8), new byte[0], null, null, DeadLetterReason.EMPTY_VALUE),
                new Case("random bytes", "cam-1".getBytes(StandardCharsets.UTF_8), new byte[]{1, 2, 3, 4, 5, 6, 7, 8, 9}, null, null, DeadLetterReason.UNKNOWN_FORMAT),
                new Case("truncated png", "cam-1".getBytes(StandardCharsets.UTF_8), Arrays.copyOf(png, png.length / 2), null, null, DeadLetterReason.TRUNCATED_IMAGE),
                new Case("decompression bomb", "cam-1".getBytes(StandardCharsets.UTF_8), hugePng, null, null, DeadLetterReason.IMAGE_TOO_LARGE),
                new Case("corrupt png", "cam-1".getBytes(StandardCharsets.UTF_8), pngWithGarbagePixels(16, 16), null, null, DeadLetterReason.CORRUPT_IMAGE),
                new Case("CMYK jpeg", "cam-1".getBytes(StandardCharsets.UTF_8), CMYK_JPEG, null, null, DeadLetterReason.UNSUPPORTED_CHANNELS),
                new Case("tensor of the wrong shape", "cam-1".getBytes(StandardCharsets.UTF_8), floats(new float[3 * 8 * 8]), FrameValidator.TENSOR_CONTENT_TYPE, "3,8,8", DeadLetterReason.BAD_TENSOR),
                new Case("NaN tensor", "cam-1".getBytes(StandardCharsets.UTF_8), floats(nan), FrameValidator.TENSOR_CONTENT_TYPE, "3,16,16", DeadLetterReason.NON_FINITE_INPUT),
                new Case("overflowing moments", "cam-1".getBytes(StandardCharsets.UTF_8), floats(overflow), FrameValidator.TENSOR_CONTENT_TYPE, "3,16,16", DeadLetterReason.NON_FINITE_MOMENTS));
        for (Case c : cases) {
            RecordHeaders headers = new RecordHeaders();
            headers.add("frame-id", c.name().getBytes(StandardCharsets.UTF_8));
            if (c.contentType() != null) {
                headers.add("content-type", c.contentType().getBytes(StandardCharsets.UTF_8));
                headers.add("shape", c.shape().getBytes(StandardCharsets.UTF_8));
            }
            frames.pipeInput(new TestRecord<>(c.key(), c.value(), headers));
            TestRecord<byte[], byte[]> dead = deadLetters.readRecord();
            assertEquals(c.reason().code(), new String(dead.headers().lastHeader("error").value(), StandardCharsets.UTF_8), c.name());
            assertArrayEquals(c.value(), dead.value(), c.name());
            assertArrayEquals(c.key(), dead.key(), c.name());
            assertEquals(c.name(), new String(dead.headers().lastHeader("frame-id").value(), StandardCharsets.UTF_8));
            assertTrue(deadLetters.isEmpty(), c.name());
        }
        assertEquals(1, predictions.readRecordsToList().size(), "only the good frame was predicted");
        DomainState after = stored("cam-1");
        assertEquals(before.version(), after.version());
        assertEquals(before.frameCount(), after.frameCount());
        assertArrayEquals(before.fedMean(0), after.fedMean(0));
        assertEquals(1, store().approximateNumEntries(), "no domain was created by a bad frame");
    }

    @Test
    void controlCommandsResetFreezeAndSwitchPolicy() throws Exception {
        start(settings(100, true));
        for (int i = 0; i < 4; i++) {
            sendFrame("cam-2", TestModels.png(i, 16, 16, 90), "f" + i);
        }
        assertEquals(4, stored("cam-2").frameCount());
        sendControl("cam-2", "{\"command\": \"freeze\"}");
        sendFrame("cam-2", TestModels.png(9, 16, 16, 90), "frozen");
        DomainState frozen = stored("cam-2");
        assertTrue(frozen.frozen());
        assertEquals(4, frozen.frameCount());
        assertArrayEquals(stored("cam-2").fedMean(0), frozen.fedMean(0));
        JsonNode frozenPrediction = JSON.readTree(predictions.readRecordsToList().get(4).value());
        assertEquals("frozen", frozenPrediction.get("adaptation").get("outcome").asText(), "a frozen domain still predicts");
        assertTrue(frozenPrediction.get("adaptation").get("frozen").asBoolean());
        sendControl("cam-2", "{\"command\": \"unfreeze\"}");
        sendControl("cam-2", "{\"command\": \"set-policy\", \"policy\": \"ema\", \"parameters\": {\"momentum\": 0.05}}");
        sendFrame("cam-2", TestModels.png(10, 16, 16, 90), "ema");
        JsonNode p = JSON.readTree(predictions.readRecord().value());
        assertEquals("ema", p.get("adaptation").get("policy").asText());
        assertEquals(0.05, p.get("adaptation").get("weight").asDouble(), 1e-12, "the new policy's parameter is used");
        assertEquals(5, p.get("adaptation").get("frames").asInt());
        sendControl("cam-2", "{\"command\": \"reset\"}");
        DomainState reset = stored("cam-2");
        assertEquals(0, reset.frameCount());
        assertEquals(runtime.source().mean(0, 0), reset.fedMean(0)[0], 1e-6);
        // malformed commands go to the dead-letter topic and change nothing
        for (String bad : new String[]{"{", "[]", "{\"command\": \"explode\"}", "{\"command\": \"set-policy\"}",
                "{\"command\": \"set-policy\", \"policy\": \"no-such-policy\"}",
                "{\"command\": \"set-policy\", \"policy\": \"ema\", \"parameters\": {\"momentum\": \"2\"}}",
                "{\"command\": \"set-policy\", \"policy\": \"ema\", \"parameters\": {\"no-such-parameter\": \"1\"}}"}) {
            sendControl("cam-2", bad);
            assertEquals(DeadLetterReason.BAD_CONTROL_COMMAND.code(),
                    new String(deadLetters.readRecord().headers().lastHeader("error").value(), StandardCharsets.UTF_8), bad);
        }
        assertEquals(reset.version(), stored("cam-2").version());
        control.pipeInput((byte[]) null, "{\"command\": \"reset\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals(DeadLetterReason.MISSING_KEY.code(),
                new String(deadLetters.readRecord().headers().lastHeader("error").value(), StandardCharsets.UTF_8));
        assertEquals("ema", stored("cam-2").policy().name(), "refused commands left the policy alone");
    }

    @Test
    void controlCommandsWithDuplicateKeysAreRefused() throws Exception {
        start(settings(100, true));
        for (int i = 0; i < 3; i++) {
            sendFrame("cam-2", TestModels.png(i, 16, 16, 90), "f" + i);
        }
        DomainState before = stored("cam-2");
        String[] duplicates = {"{\"command\":\"reset\",\"command\":\"freeze\"}",
                "{\"command\": \"set-policy\", \"policy\": \"ema\", \"policy\": \"balanced\"}",
                "{\"command\": \"set-policy\", \"policy\": \"ema\", \"parameters\": {\"momentum\": 0.05, \"momentum\": 0.5}}"};
        for (String duplicate : duplicates) {
            sendControl("cam-2", duplicate);
            TestRecord<byte[], byte[]> letter = deadLetters.readRecord();
            assertEquals(DeadLetterReason.BAD_CONTROL_COMMAND.code(),
                    new String(letter.headers().lastHeader("error").value(), StandardCharsets.UTF_8), duplicate);
            String detail = new String(letter.headers().lastHeader("error-detail").value(), StandardCharsets.UTF_8);
            assertTrue(detail.contains("Duplicate field"), detail);
        }
        DomainState after = stored("cam-2");
        assertFalse(after.frozen(), "neither the reset nor the freeze was applied");
        assertEquals(3, after.frameCount());
        assertEquals(before.version(), after.version());
        assertEquals(before.policy().name(), after.policy().name());
    }

    @Test
    void controlForADomainThatIsNotLiveCreatesNothingExceptAFreezeOrPolicyForIt() throws Exception {
        start(settings(2, false));
        sendControl("ghost", "{\"command\": \"reset\"}");
        sendControl("ghost", "{\"command\": \"unfreeze\"}");
        sendControl("ghost", "{\"command\": \"snapshot\"}");
        assertNull(store().get("ghost"));
        assertTrue(snapshots.isEmpty());
        // a domain may be frozen, or given its policy, before its first frame
        sendControl("new-cam", "{\"command\": \"freeze\"}");
        assertTrue(stored("new-cam").frozen());
        sendFrame("new-cam", TestModels.png(1, 16, 16, 50), "n0");
        assertEquals(0, stored("new-cam").frameCount());
        sendControl("other", "{\"command\": \"set-policy\", \"policy\": \"adabn\"}");
        assertEquals("adabn", stored("other").policy().name());
        // with the cap reached and domains.overflow=refuse, a command for a third domain is dead-lettered
        sendControl("third", "{\"command\": \"freeze\"}");
        TestRecord<byte[], byte[]> dead = deadLetters.readRecord();
        assertEquals(DeadLetterReason.DOMAIN_CAP.code(), new String(dead.headers().lastHeader("error").value(), StandardCharsets.UTF_8));
        assertEquals("third", new String(dead.key(), StandardCharsets.UTF_8));
        assertEquals("{\"command\": \"freeze\"}", new String(dead.value(), StandardCharsets.UTF_8));
        assertNull(store().get("third"));
    }

    @Test
    void snapshotsOfChangedDomainsAreEmittedOnTheCadenceAndOnDemand() throws Exception {
        start(settings(100, true));
        sendFrame("cam-3", TestModels.png(1, 16, 16, 10), "a");
        assertTrue(snapshots.isEmpty());
        driver.advanceWallClockTime(Duration.ofSeconds(11));
        TestRecord<String, byte[]> snapshot = snapshots.readRecord();
        assertEquals("cam-3", snapshot.key());
        DomainState decoded = SnapshotCodec.read(snapshot.value(), runtime.source());
        assertEquals(1, decoded.frameCount());
        driver.advanceWallClockTime(Duration.ofSeconds(11));
        assertTrue(snapshots.isEmpty(), "an unchanged domain is not emitted again");
        sendControl("cam-3", "{\"command\": \"snapshot\"}");
        assertEquals("cam-3", snapshots.readRecord().key());
    }

    @Test
    void theDomainCapEvictsTheLeastRecentlySeenDomain() throws Exception {
        start(settings(2, true));
        sendFrame("a", TestModels.png(1, 16, 16, 10), "1");
        sendFrame("b", TestModels.png(2, 16, 16, 10), "2");
        sendFrame("a", TestModels.png(3, 16, 16, 10), "3");
        sendFrame("c", TestModels.png(4, 16, 16, 10), "4");
        assertTrue(StoredDomain.isEvicted(store().get("b")), "b was the least recently seen");
        assertFalse(StoredDomain.isEvicted(store().get("a")));
        assertFalse(StoredDomain.isEvicted(store().get("c")));
        TestRecord<String, byte[]> evicted = snapshots.readRecord();
        assertEquals("b", evicted.key(), "an evicted domain's snapshot is kept on the snapshots topic");
        assertArrayEquals(evicted.value(), StoredDomain.snapshot(store().get("b")),
                "until the snapshots topic has caught up, the store keeps the evicted domain's last state");
        assertEquals(4, predictions.readRecordsToList().size());

        // the global snapshot store reads the eviction snapshot; the next punctuation forgets b's stored state
        snapshotsIn.pipeInput("b", evicted.value());
        driver.advanceWallClockTime(Duration.ofSeconds(11));
        assertNull(store().get("b"));
        sendFrame("b", TestModels.png(5, 16, 16, 10), "5");
        assertEquals(2, stored("b").version(), "b warm-started from its snapshot: its second frame");
    }

    @Test
    void aResetOfAnEvictedDomainMakesItLiveAtSourceWhateverItsSnapshotSays() throws Exception {
        for (boolean globalStoreHasIt : new boolean[]{true, false}) {
            close();
            start(settings(1, true));
            sendFrame("a", TestModels.png(1, 16, 16, 10), "a0");
            sendFrame("a", TestModels.png(2, 16, 16, 10), "a1");
            sendFrame("b", TestModels.png(3, 16, 16, 10), "b0");
            TestRecord<String, byte[]> evicted = snapshots.readRecord();
            assertEquals("a", evicted.key());
            if (globalStoreHasIt) {
                snapshotsIn.pipeInput("a", evicted.value());
            }
            sendControl("a", "{\"command\": \"reset\"}");
            DomainState reset = stored("a");
            assertFalse(StoredDomain.isEvicted(store().get("a")), "the reset domain is live again");
            assertEquals(0, reset.frameCount());
            assertEquals(runtime.source().mean(0, 0), reset.fedMean(0)[0], 1e-6);
            assertTrue(StoredDomain.isEvicted(store().get("b")), "b made room for it");
            sendFrame("a", TestModels.png(4, 16, 16, 10), "a2");
            assertEquals(1, stored("a").frameCount(), "from source, not from the old state: " + globalStoreHasIt);
            driver.advanceWallClockTime(Duration.ofSeconds(11));
            TestRecord<String, byte[]> next = snapshots.readRecordsToList().stream().filter(r -> r.key().equals("a"))
                    .reduce((x, y) -> y).orElseThrow();
            assertEquals(1, SnapshotCodec.read(next.value(), runtime.source()).frameCount(),
                    "the next snapshot replaces the old one on the compacted topic");
        }
    }

    @Test
    void oldStoreEntriesWithoutTheFlagsByteAreReadAsLiveDomains() throws Exception {
        start(settings(10, true));
        sendFrame("a", TestModels.png(1, 16, 16, 10), "a0");
        byte[] snapshot = StoredDomain.snapshot(store().get("a"));
        byte[] old = java.nio.ByteBuffer.allocate(8 + snapshot.length).putLong(1234L).put(snapshot).array();
        assertFalse(StoredDomain.isEvicted(old));
        assertEquals(1234L, StoredDomain.lastSeen(old));
        assertArrayEquals(snapshot, StoredDomain.snapshot(old));
        assertEquals(1, SnapshotCodec.read(StoredDomain.snapshot(old), runtime.source()).frameCount());
    }

    @Test
    void aDomainEvictedAndBackBeforeTheSnapshotsTopicCaughtUpResumesFromItsOwnLastState() throws Exception {
        start(settings(1, true));
        for (int i = 0; i < 3; i++) {
            sendFrame("a", TestModels.png(i, 16, 16, 10), "a" + i);
        }
        // an older snapshot of a on the snapshots topic, the eviction snapshot not read yet by the global store
        DomainState afterThree = stored("a");
        snapshotsIn.pipeInput("a", SnapshotCodec.write(afterThree));
        sendFrame("a", TestModels.png(3, 16, 16, 10), "a3");
        sendFrame("b", TestModels.png(9, 16, 16, 10), "b0");
        assertTrue(StoredDomain.isEvicted(store().get("a")));
        sendFrame("a", TestModels.png(4, 16, 16, 10), "a4");
        assertEquals(5, stored("a").version(), "a continues after its 4th frame, not from the older snapshot's 3rd");
        assertEquals(5, stored("a").frameCount());
        List<JsonNode> out = predictions.readValuesToList().stream().map(AdaStreamTopologyTest::json).toList();
        assertEquals(List.of(1L, 2L, 3L, 4L, 1L, 5L), out.stream().map(p -> p.path("adaptation").path("version").asLong()).toList());
    }

    @Test
    void theDomainCapRefusesNewDomainsWhenConfiguredTo() throws Exception {
        start(settings(1, false));
        sendFrame("a", TestModels.png(1, 16, 16, 10), "1");
        sendFrame("b", TestModels.png(2, 16, 16, 10), "2");
        assertEquals(DeadLetterReason.DOMAIN_CAP.code(),
                new String(deadLetters.readRecord().headers().lastHeader("error").value(), StandardCharsets.UTF_8));
        assertNull(store().get("b"));
        assertEquals(1, predictions.readRecordsToList().size());
    }

    @Test
    void aDomainNewToThisInstanceWarmStartsFromItsSnapshot() throws Exception {
        start(settings(100, true));
        for (int i = 0; i < 5; i++) {
            sendFrame("cam-9", TestModels.png(i, 16, 16, 120), "f" + i);
        }
        byte[] snapshot = SnapshotCodec.write(stored("cam-9"));
        // another model's snapshot for a different domain is ignored: that domain starts from source
        snapshotsIn.pipeInput("cam-10", Arrays.copyOf(snapshot, snapshot.length - 3));
        snapshotsIn.pipeInput("cam-11", snapshot);
        sendFrame("cam-10", TestModels.png(1, 16, 16, 120), "x");
        sendFrame("cam-11", TestModels.png(1, 16, 16, 120), "y");
        assertEquals(1, stored("cam-10").frameCount());
        assertEquals(6, stored("cam-11").frameCount());
        assertFalse(predictions.isEmpty());
    }

    private static JsonNode json(byte[] value) {
        try {
            return JSON.readTree(value);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void sendControl(String domain, String json) {
        control.pipeInput(domain.getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8));
    }

    /** A baseline JPEG header declaring 4 components (CMYK): 8x8, SOF0, then EOI. */
    static final byte[] CMYK_JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xC0, 0, 20, 8, 0, 8, 0, 8, 4,
            1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0, 4, 0x11, 0, (byte) 0xFF, (byte) 0xD9};

    /** A PNG with a correct signature and IHDR (8-bit RGB) whose IDAT is not a deflate stream. */
    static byte[] pngWithGarbagePixels(int width, int height) {
        ByteBuffer b = ByteBuffer.allocate(8 + 25 + 16 + 12);
        b.put(new byte[]{(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10});
        chunk(b, ByteBuffer.allocate(17).put("IHDR".getBytes(StandardCharsets.US_ASCII)).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0).array());
        chunk(b, new byte[]{'I', 'D', 'A', 'T', 1, 2, 3, 4});
        chunk(b, "IEND".getBytes(StandardCharsets.US_ASCII));
        return Arrays.copyOf(b.array(), b.position());
    }

    private static void chunk(ByteBuffer b, byte[] typeAndData) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(typeAndData);
        b.putInt(typeAndData.length - 4).put(typeAndData).putInt((int) crc.getValue());
    }

    private static byte[] floats(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return b.array();
    }
}
