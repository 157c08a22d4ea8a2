package io.adastream.topology;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.fasterxml.jackson.databind.JsonNode;
import io.adastream.adapt.inference.AdaptationMode;
import io.adastream.adapt.session.SessionConfig;
import io.adastream.adapt.stats.DomainState;
import io.adastream.adapt.stats.SnapshotCodec;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A frame whose model output the decoder refuses (a class id out of range) is dead-lettered as
 * {@code undecodable-output} with the decoder's message and never touches its domain: the stored statistics after
 * good, bad, good equal exactly those after good, good, the next good frame's prediction is the same, and a new
 * domain's refused first frame evicts no live domain. The served segmenter adds 100 to the class id of every pixel
 * whose red input is below -1.9 after normalization, which only a black pixel is.
 */
class UndecodableOutputServiceTest {

    static final String IDS = "class_ids";

    @TempDir
    Path dir;

    private int drivers;

    /** The tiny segmenter with {@code class_ids} = ArgMax(logits) + 100 where the normalized red input is below -1.9. */
    static ModelProto withOutOfRangeIdsOnBlack(ModelProto model) {
        GraphProto.Builder g = model.getGraph().toBuilder();
        String logits = g.getOutput(0).getName();
        String input = g.getInput(0).getName();
        g.addInitializer(TensorProto.newBuilder().setName("red_index").setDataType(TensorProto.DataType.INT64_VALUE)
                .addInt64Data(0));
        g.addInitializer(TensorProto.newBuilder().setName("black_level").setDataType(TensorProto.DataType.FLOAT_VALUE)
                .addFloatData(-1.9f));
        g.addInitializer(TensorProto.newBuilder().setName("id_offset").setDataType(TensorProto.DataType.INT64_VALUE)
                .addInt64Data(100));
        g.addNode(NodeProto.newBuilder().setOpType("ArgMax").setName("argmax").addInput(logits).addOutput("argmax_ids")
                .addAttribute(AttributeProto.newBuilder().setName("axis").setType(AttributeProto.AttributeType.INT).setI(1))
                .addAttribute(AttributeProto.newBuilder().setName("keepdims").setType(AttributeProto.AttributeType.INT).setI(0)));
        g.addNode(NodeProto.newBuilder().setOpType("Gather").setName("red").addInput(input).addInput("red_index")
                .addOutput("red_plane")
                .addAttribute(AttributeProto.newBuilder().setName("axis").setType(AttributeProto.AttributeType.INT).setI(1)));
        g.addNode(NodeProto.newBuilder().setOpType("Less").setName("black").addInput("red_plane").addInput("black_level")
                .addOutput("is_black"));
        g.addNode(NodeProto.newBuilder().setOpType("Cast").setName("black_int").addInput("is_black").addOutput("black_ids")
                .addAttribute(AttributeProto.newBuilder().setName("to").setType(AttributeProto.AttributeType.INT)
                        .setI(TensorProto.DataType.INT64_VALUE)));
        g.addNode(NodeProto.newBuilder().setOpType("Mul").setName("offset").addInput("black_ids").addInput("id_offset")
                .addOutput("offset_ids"));
        g.addNode(NodeProto.newBuilder().setOpType("Add").setName("shifted").addInput("argmax_ids").addInput("offset_ids")
                .addOutput(IDS));
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("N"))
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(TestModels.SIZE))
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(TestModels.SIZE));
        g.addOutput(ValueInfoProto.newBuilder().setName(IDS).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.INT64_VALUE).setShape(shape))));
        return model.toBuilder().setGraph(g).build();
    }

    static byte[] blackPng() throws Exception {
        BufferedImage image = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    /** What one run of frames left: predictions and dead letters in order, and the domains' stored states. */
    record Run(List<JsonNode> predictions, List<TestRecord<byte[], byte[]>> deadLetters, Map<String, DomainState> stored) {
    }

    private Run run(ModelRuntime runtime, int maxDomains, List<String> keys, List<byte[]> images) throws Exception {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "adastream-undecodable-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createDirectories(dir.resolve("run" + drivers++)).toString());
        // as the service runs: a record whose processing throws is dead-lettered by the handler
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterExceptionHandler.class.getName());
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "dead-letter");
        ImageDecoder decoder = new ImageDecoder(new DecodeLimits(1 << 20, 1024, 1024, 1024 * 1024));
        try (TopologyTestDriver driver = new TopologyTestDriver(AdaStreamTopology.build(runtime,
                AdaStreamTopologyTest.NAMES, AdaStreamTopologyTest.settings(maxDomains, true), decoder,
                ServiceMetrics.NONE), props)) {
            TestInputTopic<byte[], byte[]> frames = driver.createInputTopic("frames", new ByteArraySerializer(),
                    new ByteArraySerializer());
            TestOutputTopic<String, byte[]> predictions = driver.createOutputTopic("predictions",
                    new StringDeserializer(), new ByteArrayDeserializer());
            TestOutputTopic<byte[], byte[]> deadLetters = driver.createOutputTopic("dead-letter",
                    new ByteArrayDeserializer(), new ByteArrayDeserializer());
            for (int i = 0; i < images.size(); i++) {
                RecordHeaders headers = new RecordHeaders();
                headers.add("frame-id", ("f" + i).getBytes(StandardCharsets.UTF_8));
                frames.pipeInput(new TestRecord<>(keys.get(i).getBytes(StandardCharsets.UTF_8), images.get(i), headers));
            }
            List<JsonNode> published = new ArrayList<>();
            for (TestRecord<String, byte[]> r : predictions.readRecordsToList()) {
                published.add(AdaStreamTopologyTest.JSON.readTree(r.value()));
            }
            Map<String, DomainState> stored = new java.util.TreeMap<>();
            var store = driver.<String, byte[]>getKeyValueStore(TopologyNames.DOMAIN_STORE);
            for (String key : keys) {
                byte[] bytes = store.get(key);
                if (bytes != null && !StoredDomain.isEvicted(bytes)) {
                    stored.put(key, SnapshotCodec.read(StoredDomain.snapshot(bytes), runtime.source()));
                }
            }
            return new Run(published, deadLetters.readRecordsToList(), stored);
        }
    }

    private static ModelRuntime runtime(AdaptationMode mode) throws Exception {
        return new ModelRuntime(IntegerClassIdsServiceTest.classIdsSpec(),
                withOutOfRangeIdsOnBlack(TestModels.segmenter()).toByteArray(), SessionConfig.cpu().withIntraOpThreads(1),
                "prior-decay", Map.of(), mode);
    }

    private static String header(TestRecord<byte[], byte[]> r, String name) {
        return r.headers().lastHeader(name) == null ? null
                : new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static void assertSameStatistics(DomainState expected, DomainState actual) {
        assertEquals(expected.frameCount(), actual.frameCount(), "frames folded");
        assertEquals(expected.version(), actual.version(), "version");
        assertEquals(expected.effectiveCount(), actual.effectiveCount(), "effective count");
        assertEquals(expected.detector().frames(), actual.detector().frames(), "detector frames");
        assertEquals(expected.detector().baseline(), actual.detector().baseline(), "detector baseline");
        for (int l = 0; l < expected.layers(); l++) {
            double[] em = new double[expected.channels(l)];
            double[] am = new double[expected.channels(l)];
            expected.copyMean(l, em);
            actual.copyMean(l, am);
            assertArrayEquals(em, am, "mean of layer " + l);
            expected.copyVar(l, em);
            actual.copyVar(l, am);
            assertArrayEquals(em, am, "variance of layer " + l);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(AdaptationMode.class)
    void anUndecodableFrameIsDeadLetteredAndLeavesItsDomainAsIfItNeverCame(AdaptationMode mode) throws Exception {
        byte[] good0 = TestModels.png(0, 16, 16, 40);
        byte[] good1 = TestModels.png(1, 16, 16, 40);
        byte[] good2 = TestModels.png(2, 16, 16, 40);
        try (ModelRuntime runtime = runtime(mode)) {
            Run withBad = run(runtime, 100, List.of("cam-1", "cam-1", "cam-1", "cam-1"),
                    List.of(good0, good1, blackPng(), good2));
            Run without = run(runtime, 100, List.of("cam-1", "cam-1", "cam-1"), List.of(good0, good1, good2));

            assertEquals(3, withBad.predictions().size(), "the good frames are all predicted");
            assertEquals(without.predictions().size(), withBad.predictions().size());
            for (int i = 0; i < 3; i++) {
                assertEquals(without.predictions().get(i).get("result"), withBad.predictions().get(i).get("result"),
                        "prediction of good frame " + i);
                assertEquals(i + 1, withBad.predictions().get(i).get("adaptation").get("frames").asInt());
            }
            assertNotNull(withBad.stored().get("cam-1"));
            assertSameStatistics(without.stored().get("cam-1"), withBad.stored().get("cam-1"));

            assertEquals(1, withBad.deadLetters().size(), "the black frame is dead-lettered");
            TestRecord<byte[], byte[]> letter = withBad.deadLetters().get(0);
            assertEquals("f2", header(letter, "frame-id"));
            assertEquals("undecodable-output", header(letter, "error"));
            String detail = header(letter, "error-detail");
            assertTrue(detail.startsWith("class id 10") && detail.contains("outside 0..2 at pixel 0"), detail);
            assertFalse(detail.contains("\n"), detail);
            assertTrue(without.deadLetters().isEmpty());
        }
    }

    @Test
    void aNewDomainsUndecodableFirstFrameEvictsNoLiveDomain() throws Exception {
        try (ModelRuntime runtime = runtime(AdaptationMode.FUSED)) {
            Run run = run(runtime, 1, List.of("cam-1", "cam-2"), List.of(TestModels.png(0, 16, 16, 40), blackPng()));
            assertEquals(List.of("cam-1"), List.copyOf(run.stored().keySet()), "cam-1 stays live, cam-2 is never stored");
            assertEquals(1, run.stored().get("cam-1").frameCount());
            assertEquals(1, run.deadLetters().size());
            assertEquals("undecodable-output", header(run.deadLetters().get(0), "error"));
        }
    }
}
