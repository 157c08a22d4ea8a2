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
import io.adastream.adapt.onnx.ModelFormatException;
import io.adastream.adapt.session.SessionConfig;
import io.adastream.adapt.stats.DomainAdapter;
import io.adastream.adapt.stats.DomainState;
import io.adastream.adapt.stats.SnapshotCodec;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The service serving a segmenter whose output is class ids from an ArgMax inside the model (int64, or Cast to
 * int32): the tiny test segmenter with the ArgMax appended. Each published mask must be the argmax, computed by hand,
 * of the plain model's logits under the domain's statistics; an output type the decoder cannot read is refused at start.
 */
class IntegerClassIdsServiceTest {

    static final String IDS = "class_ids";

    @TempDir
    Path stateDir;

    /** The tiny segmenter with {@code class_ids} [N, 16, 16] = ArgMax of its logits over the classes, cast to {@code type}. */
    static ModelProto withClassIds(ModelProto model, int type) {
        GraphProto.Builder g = model.getGraph().toBuilder();
        String logits = g.getOutput(0).getName();
        String argmax = type == TensorProto.DataType.INT64_VALUE ? IDS : IDS + "_int64";
        g.addNode(NodeProto.newBuilder().setOpType("ArgMax").setName("argmax").addInput(logits).addOutput(argmax)
                .addAttribute(AttributeProto.newBuilder().setName("axis").setType(AttributeProto.AttributeType.INT).setI(1))
                .addAttribute(AttributeProto.newBuilder().setName("keepdims").setType(AttributeProto.AttributeType.INT).setI(0)));
        if (type != TensorProto.DataType.INT64_VALUE) {
            g.addNode(NodeProto.newBuilder().setOpType("Cast").setName("cast").addInput(argmax).addOutput(IDS)
                    .addAttribute(AttributeProto.newBuilder().setName("to").setType(AttributeProto.AttributeType.INT).setI(type)));
        }
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("N"))
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(TestModels.SIZE))
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(TestModels.SIZE));
        g.addOutput(ValueInfoProto.newBuilder().setName(IDS).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(type).setShape(shape))));
        return model.toBuilder().setGraph(g).build();
    }

    static ModelSpec classIdsSpec() throws Exception {
        String json = """
                {"name": "tiny-class-ids", "task": "segmentation", "model": "tiny.onnx",
                 "input": {"name": "image", "width": 16, "height": 16, "mean": [0.5, 0.5, 0.5], "std": [0.25, 0.25, 0.25]},
                 "classes": ["background", "a", "b"],
                 "output": {"name": "%s", "decoder": "class-ids"}}
                """.formatted(IDS);
        return ModelSpec.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "tiny.json");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"INT64", "INT32"})
    void integerClassIdsArePublishedAsTheMaskOfTheAdaptedLogits(String type) throws Exception {
        ModelProto plain = TestModels.segmenter();
        ModelProto served = withClassIds(plain, TensorProto.DataType.valueOf(type).getNumber());
        try (ModelRuntime runtime = new ModelRuntime(classIdsSpec(), served.toByteArray(),
                SessionConfig.cpu().withIntraOpThreads(1), "prior-decay", Map.of("b-max", "0"), AdaptationMode.FUSED)) {
            Properties props = new Properties();
            props.put(StreamsConfig.APPLICATION_ID_CONFIG, "adastream-class-ids-test");
            props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:9092");
            props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
            ImageDecoder decoder = new ImageDecoder(new DecodeLimits(1 << 20, 1024, 1024, 1024 * 1024));
            try (TopologyTestDriver driver = new TopologyTestDriver(AdaStreamTopology.build(runtime,
                    AdaStreamTopologyTest.NAMES, AdaStreamTopologyTest.settings(100, true), decoder, ServiceMetrics.NONE), props)) {
                TestInputTopic<byte[], byte[]> frames = driver.createInputTopic("frames", new ByteArraySerializer(),
                        new ByteArraySerializer());
                TestOutputTopic<String, byte[]> predictions = driver.createOutputTopic("predictions",
                        new StringDeserializer(), new ByteArrayDeserializer());
                TestOutputTopic<byte[], byte[]> deadLetters = driver.createOutputTopic("dead-letter",
                        new ByteArrayDeserializer(), new ByteArrayDeserializer());
                int checkedClasses = 0;
                DomainState fresh = new DomainAdapter(runtime.source()).newDomain(runtime.defaultPolicy());
                for (int i = 0; i < 3; i++) {
                    // b_max = 0: frame i is predicted with the domain's statistics from before it (source for the first)
                    byte[] stored = driver.<String, byte[]>getKeyValueStore(TopologyNames.DOMAIN_STORE).get("cam-1");
                    DomainState before = stored == null ? fresh : SnapshotCodec.read(StoredDomain.snapshot(stored), runtime.source());
                    byte[] png = TestModels.png(i, 16, 16, 40);
                    RecordHeaders headers = new RecordHeaders();
                    headers.add("frame-id", ("f" + i).getBytes(StandardCharsets.UTF_8));
                    frames.pipeInput(new TestRecord<>("cam-1".getBytes(StandardCharsets.UTF_8), png, headers));
                    List<TestRecord<String, byte[]>> out = predictions.readRecordsToList();
                    assertEquals(1, out.size(), "one prediction for frame " + i);
                    JsonNode p = AdaStreamTopologyTest.JSON.readTree(out.get(0).value());
                    assertEquals("segmentation", p.get("task").asText());
                    assertEquals(i + 1, p.get("adaptation").get("frames").asInt());
                    int[] expected = ReferenceSegmentation.classes(plain, before, png);
                    int[] published = ReferenceSegmentation.decodeMasks(p.get("result").get("rle"),
                            p.get("result").get("classes"), 16, 16);
                    assertArrayEquals(expected, published, "frame " + i);
                    checkedClasses = Math.max(checkedClasses, (int) Arrays.stream(expected).distinct().count());
                }
                assertTrue(checkedClasses > 1, "the check needs a mask of more than one class");
                assertTrue(deadLetters.isEmpty(), "no frame dead-lettered");
            }
        }
    }

    @Test
    void anOutputTypeTheDecoderCannotReadIsRefusedAtStartInOneLine() throws Exception {
        ModelProto served = withClassIds(TestModels.segmenter(), TensorProto.DataType.UINT8_VALUE);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> new ModelRuntime(classIdsSpec(),
                served.toByteArray(), SessionConfig.cpu().withIntraOpThreads(1), "prior-decay", Map.of(), AdaptationMode.FUSED));
        assertEquals("model output 'class_ids' is UINT8, but a class-ids output must be FLOAT, INT64 or INT32", e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }
}
