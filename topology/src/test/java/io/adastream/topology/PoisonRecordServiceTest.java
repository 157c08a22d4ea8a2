package io.adastream.topology;

import io.adastream.topology.config.AdaStreamConfig;
import io.adastream.topology.config.Keys;
import io.adastream.embedded.EmbeddedKafka;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Poison records against a running service on the embedded broker: a prediction larger than its topic's
 * max.message.bytes is dead-lettered inside the transaction (no refusal, no thread replaced); the 12 KB BMP whose header declares an
 * embedded JPEG of 2 GB (it made the decoder throw OutOfMemoryError and the stream thread die, for good, since the
 * record was never committed) is dead-lettered and the next frame predicted; and an error that escapes a stream
 * thread replaces the thread instead of stopping the application.
 */
class PoisonRecordServiceTest {

    static EmbeddedKafka kafka;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() throws Exception {
        EmbeddedKafka.quietBrokerLogging();
        kafka = EmbeddedKafka.startInProcess();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    private static void startAndAwaitRunning(AdaStreamService service, AdaStreamConfig config) throws Exception {
        TopicsSetup.ensure(kafka.adminProperties(), service.names(), config.topic(Keys.TOPIC_LABELS), 1, (short) 1);
        service.start();
        await("RUNNING").atMost(Duration.ofSeconds(60))
                .until(() -> service.streams().state() == KafkaStreams.State.RUNNING);
    }

    /**
     * Reads the dead-letter and predictions topics (read_committed) until at least the given counts arrived, the
     * service running throughout, then polls once more: anything duplicated would be committed with or before the
     * last record waited for, so that poll finds it.
     */
    private static void readOutputs(AdaStreamService service, String group, int letterCount, int predictionCount,
            List<ConsumerRecord<byte[], byte[]>> letters, List<ConsumerRecord<byte[], byte[]>> predictions) {
        String deadLetterTopic = service.names().deadLetterTopic();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(group)) {
            consumer.subscribe(List.of(deadLetterTopic, service.names().predictionsTopic()));
            await(letterCount + " dead letters and " + predictionCount + " predictions").atMost(Duration.ofSeconds(90))
                    .pollInSameThread().until(() -> {
                        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                            (r.topic().equals(deadLetterTopic) ? letters : predictions).add(r);
                        }
                        assertTrue(service.streams().state().isRunningOrRebalancing(),
                                "the service stopped: " + service.streams().state());
                        return letters.size() >= letterCount && predictions.size() >= predictionCount;
                    });
            consumer.poll(Duration.ofMillis(500)).forEach(r ->
                    (r.topic().equals(deadLetterTopic) ? letters : predictions).add(r));
        }
    }

    /** The 12 KB BMP: a 64x64 24-bit info header with compression 4 (embedded JPEG) and the given image size. */
    static byte[] poisonBmp(int sizeImage) {
        ByteBuffer b = ByteBuffer.allocate(12 * 1024).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'B').put((byte) 'M').putInt(12 * 1024).putInt(0).putInt(54);
        b.putInt(40).putInt(64).putInt(64).putShort((short) 1).putShort((short) 24).putInt(4).putInt(sizeImage)
                .putInt(2835).putInt(2835).putInt(0).putInt(0);
        b.put((byte) 0xFF).put((byte) 0xD8).put((byte) 0xFF);
        return b.array();
    }

    @Test
    void thePoisonBmpIsDeadLetteredAndTheNextFramePredicted() throws Exception {
        Map<String, String> settings = serviceSettings("adastream-poison-it", "poison");
        AdaStreamConfig config = AdaStreamConfig.of(settings);
        try (AdaStreamService service = AdaStreamService.create(config)) {
            startAndAwaitRunning(service, config);
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka.adminProperties(),
                    new ByteArraySerializer(), new ByteArraySerializer())) {
                send(producer, service.names().framesTopic(), "poison-1", poisonBmp(0x7fff0000));
                send(producer, service.names().framesTopic(), "poison-2", poisonBmp(0x7fffffff));
                send(producer, service.names().framesTopic(), "next", TestModels.png(3, 16, 16, 0));
                producer.flush();
            }
            List<ConsumerRecord<byte[], byte[]>> letters = new ArrayList<>();
            List<ConsumerRecord<byte[], byte[]>> predictions = new ArrayList<>();
            readOutputs(service, "poison-checker", 2, 1, letters, predictions);
            assertEquals(List.of("poison-1", "poison-2"), letters.stream().map(r -> header(r, "frame-id")).toList());
            for (ConsumerRecord<byte[], byte[]> letter : letters) {
                assertEquals("corrupt-image", header(letter, "error"));
                assertTrue(header(letter, "error-detail").contains("compression 4"), header(letter, "error-detail"));
                assertEquals(12 * 1024, letter.value().length);
            }
            assertEquals(1, predictions.size());
            assertTrue(new String(predictions.get(0).value(), StandardCharsets.UTF_8).contains("\"frame_id\":\"next\""));
            assertEquals(KafkaStreams.State.RUNNING, service.streams().state());
        }
    }

    @Test
    void aPredictionTooLargeForItsTopicIsDeadLetteredAndTheNextFramePredicted() throws Exception {
        Map<String, String> settings = serviceSettings("adastream-too-large-it", "large");
        AdaStreamConfig config = AdaStreamConfig.of(settings);
        try (var admin = org.apache.kafka.clients.admin.Admin.create(kafka.adminProperties())) {
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic("large.predictions", 1, (short) 1)
                    .configs(Map.of("max.message.bytes", "2000")))).all().get();
        }
        try (AdaStreamService service = AdaStreamService.create(config)) {
            startAndAwaitRunning(service, config);
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka.adminProperties(),
                    new ByteArraySerializer(), new ByteArraySerializer())) {
                send(producer, service.names().framesTopic(), "first", TestModels.png(1, 16, 16, 200));
                send(producer, service.names().framesTopic(), "noisy", TestModels.png(5, 128, 128, 0));
                send(producer, service.names().framesTopic(), "next", TestModels.png(1, 16, 16, 200));
                producer.flush();
            }
            List<ConsumerRecord<byte[], byte[]>> letters = new ArrayList<>();
            List<ConsumerRecord<byte[], byte[]>> predictions = new ArrayList<>();
            readOutputs(service, "too-large-checker", 1, 2, letters, predictions);
            assertEquals(List.of("noisy"), letters.stream().map(r -> header(r, "frame-id")).toList());
            ConsumerRecord<byte[], byte[]> letter = letters.get(0);
            assertEquals("output-too-large", header(letter, "error"));
            assertTrue(header(letter, "error-detail").contains("large.predictions"), header(letter, "error-detail"));
            assertEquals("cam", new String(letter.key(), StandardCharsets.UTF_8));
            assertEquals(null, letter.value(), "the letter leaves the oversized value out");
            assertEquals(List.of("first", "next"), predictions.stream().map(r -> header(r, "frame-id")).toList());
            assertEquals(2000, service.outputLimit("large.predictions"), "the topic's max.message.bytes, read at start");
            assertEquals(KafkaStreams.State.RUNNING, service.streams().state());
            List<String> threads = service.streams().metadataForLocalThreads().stream().map(ThreadMetadata::threadName).toList();
            assertTrue(threads.size() == 1 && threads.get(0).endsWith("StreamThread-1"), "no thread was replaced: " + threads);
        }
    }

    /** Throws an {@link Error} (which no processing-exception handler sees) on the first "boom", then forwards. */
    static final class ThrowsOnce implements Processor<byte[], byte[], byte[], byte[]> {
        static final AtomicBoolean THROWN = new AtomicBoolean();
        private ProcessorContext<byte[], byte[]> context;

        @Override
        public void init(ProcessorContext<byte[], byte[]> context) {
            this.context = context;
        }

        @Override
        public void process(Record<byte[], byte[]> record) {
            if ("boom".equals(new String(record.value(), StandardCharsets.UTF_8)) && THROWN.compareAndSet(false, true)) {
                throw new Error("a thread-killing error");
            }
            context.forward(record);
        }
    }

    @Test
    void anErrorThatEscapesAStreamThreadReplacesTheThread() throws Exception {
        try (var admin = org.apache.kafka.clients.admin.Admin.create(kafka.adminProperties())) {
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic("replace.in", 1, (short) 1),
                    new org.apache.kafka.clients.admin.NewTopic("replace.out", 1, (short) 1))).all().get();
        }
        Topology topology = new Topology();
        topology.addSource("in", "replace.in");
        topology.addProcessor("once", ThrowsOnce::new, "in");
        topology.addSink("out", "replace.out", "once");
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "replace-thread-it");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("replace").toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        try (KafkaStreams streams = new KafkaStreams(topology, props)) {
            streams.setUncaughtExceptionHandler(new ReplaceThreadPolicy());
            streams.start();
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka.adminProperties(),
                    new ByteArraySerializer(), new ByteArraySerializer())) {
                for (String v : new String[]{"a", "boom", "b"}) {
                    producer.send(new ProducerRecord<>("replace.in", bytes("k"), bytes(v)));
                }
            }
            List<String> out = new ArrayList<>();
            try (KafkaConsumer<byte[], byte[]> consumer = consumer("replace-checker")) {
                consumer.subscribe(List.of("replace.out"));
                await("a, boom and b").atMost(Duration.ofSeconds(90)).pollInSameThread().until(() -> {
                    consumer.poll(Duration.ofMillis(200)).forEach(r -> out.add(new String(r.value(), StandardCharsets.UTF_8)));
                    return out.size() >= 3;
                });
            }
            assertEquals(List.of("a", "boom", "b"), out, "read_committed: each once, the aborted attempt invisible");
            assertTrue(ThrowsOnce.THROWN.get());
            assertTrue(streams.state().isRunningOrRebalancing(), "state " + streams.state());
            List<String> threads = streams.metadataForLocalThreads().stream().map(ThreadMetadata::threadName).toList();
            assertEquals(1, threads.size());
            assertTrue(threads.get(0).endsWith("StreamThread-2"), "the thread was replaced: " + threads);
        }
    }

    /** The service on the embedded broker with the tiny model, its topics named {@code prefix.*}. */
    private Map<String, String> serviceSettings(String applicationId, String prefix) throws Exception {
        Path spec = ServiceTestSupport.writeTinyModel(dir);
        Map<String, String> settings = new HashMap<>();
        settings.put("bootstrap.servers", kafka.bootstrapServers());
        settings.put("application.id", applicationId);
        settings.put("state.dir", dir.resolve("state").toString());
        settings.put(Keys.MODEL_SPEC, spec.toString());
        settings.put(Keys.INFERENCE_THREADS, "1");
        settings.put(Keys.METRICS_PORT, "0");
        settings.put(Keys.TOPIC_FRAMES, prefix + ".frames");
        settings.put(Keys.TOPIC_PREDICTIONS, prefix + ".predictions");
        settings.put(Keys.TOPIC_DEAD_LETTER, prefix + ".dead-letter");
        settings.put(Keys.TOPIC_SNAPSHOTS, prefix + ".snapshots");
        settings.put(Keys.TOPIC_CONTROL, prefix + ".control");
        settings.put(Keys.TOPIC_LABELS, prefix + ".labels");
        return settings;
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String group) {
        Properties c = new Properties();
        c.putAll(kafka.adminProperties());
        c.put("group.id", group);
        c.put("auto.offset.reset", "earliest");
        c.put("isolation.level", "read_committed");
        return new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, String frameId, byte[] value) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("frame-id", bytes(frameId));
        producer.send(new ProducerRecord<>(topic, null, bytes("cam"), value, headers));
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        return r.headers().lastHeader(name) == null ? null
                : new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
