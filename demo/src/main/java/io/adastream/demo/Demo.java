package io.adastream.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.adastream.models.spec.ModelSpec;
import io.adastream.topology.AdaStreamService;
import io.adastream.topology.TopicsSetup;
import io.adastream.topology.config.AdaStreamConfig;
import io.adastream.topology.config.Keys;
import io.adastream.topology.labels.LabelJson;
import io.adastream.embedded.EmbeddedKafka;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one-command demo: a real single-node KRaft broker in this JVM, the topics, the service with the bundled
 * segmenter (and a shadow source-model run for comparison), a synthetic stream of camera domains with different
 * shifts, and a live per-domain scoreboard computed from the predictions topic.
 */
public final class Demo implements AutoCloseable {

    /** Demo settings: frames per camera (0 = until stopped), policy, partitions, in-flight frames per camera. */
    public record Options(long framesPerCamera, String policy, int partitions, int inFlight, Duration printEvery) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Options options;
    private final PrintStream out;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final Map<String, byte[]> groundTruth = new ConcurrentHashMap<>();
    private final AtomicLong deadLetters = new AtomicLong();
    private EmbeddedKafka kafka;
    private AdaStreamService service;
    private Path stateDir;

    public Demo(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /** Runs until every camera has sent its frames and they are all scored, or until {@link #stop()}. */
    public Scoreboard run() throws Exception {
        out.println("adastream demo: starting a single-node KRaft Kafka broker in this JVM ...");
        EmbeddedKafka.quietBrokerLogging();
        kafka = EmbeddedKafka.startInProcess();
        out.println("  broker at " + kafka.bootstrapServers() + " (started in " + kafka.lastStartupTime().toMillis() + " ms)");
        // not under the OS temp folder, which Kafka Streams warns may be cleaned under a running application
        Files.createDirectories(Path.of(".adastream"));
        stateDir = Files.createTempDirectory(Path.of(".adastream"), "demo-state-");
        AdaStreamConfig config = AdaStreamConfig.of(settings());
        service = AdaStreamService.create(config);
        Properties admin = kafka.adminProperties();
        TopicsSetup.ensure(admin, service.names(), config.topic(Keys.TOPIC_LABELS), options.partitions(), (short) 1);
        ModelSpec spec = service.runtime().spec();
        out.printf("  model %s: %s, %dx%d input, %d adaptive BatchNorm layers, policy %s%n", spec.name(), spec.task(),
                spec.input().width(), spec.input().height(), service.runtime().adaptive().layerCount(), options.policy());
        service.start();
        if (service.httpPort() > 0) {
            out.println("  metrics at http://localhost:" + service.httpPort() + "/metrics (health /health/ready, domains /domains)");
        }
        awaitRunning();
        Camera[] cameras = Camera.defaults();
        Scoreboard board = new Scoreboard(spec.classes(), cameras);
        Semaphore[] inFlight = new Semaphore[cameras.length];
        Map<String, Integer> cameraIndex = new HashMap<>();
        for (int i = 0; i < cameras.length; i++) {
            inFlight[i] = new Semaphore(options.inFlight());
            cameraIndex.put(cameras[i].domain(), i);
        }
        out.println("  streaming " + cameras.length + " cameras (" + (options.framesPerCamera() == 0 ? "until Ctrl-C"
                : options.framesPerCamera() + " frames each") + "); accuracy with and without adaptation:");
        Thread producer = new Thread(() -> produce(cameras, spec, inFlight), "demo-producer");
        producer.setDaemon(true);
        producer.start();
        consume(board, inFlight, cameraIndex, cameras.length);
        producer.join(5000);
        board.print(out, deadLetters.get());
        return board;
    }

    private Map<String, String> settings() {
        Map<String, String> s = new HashMap<>();
        s.put("bootstrap.servers", kafka.bootstrapServers());
        s.put("application.id", "adastream-demo");
        s.put("state.dir", stateDir.toString());
        s.put(Keys.MODEL_SPEC, "bundled:segmenter");
        s.put(Keys.POLICY, options.policy());
        s.put(Keys.SHADOW_SOURCE, "true");
        s.put(Keys.LABELS_ENABLED, "true");
        s.put(Keys.METRICS_PORT, Integer.toString(metricsPort()));
        s.put(Keys.SNAPSHOT_INTERVAL_MS, "5000");
        s.put(Keys.INFERENCE_THREADS, "1");
        s.put("streams.num.stream.threads", "1");
        return s;
    }

    /** The usual metrics port when it is free, else any free port (another demo or service may hold 9400). */
    static int metricsPort() {
        for (int port : new int[]{9400, 0}) {
            try (java.net.ServerSocket socket = new java.net.ServerSocket(port)) {
                return socket.getLocalPort();
            } catch (IOException e) {
                // taken: try the next
            }
        }
        throw new IllegalStateException("no free port for /metrics");
    }

    private void awaitRunning() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (service.streams().state() != KafkaStreams.State.RUNNING) {
            if (System.nanoTime() > deadline || service.streams().state() == KafkaStreams.State.ERROR) {
                throw new IllegalStateException("the service did not reach RUNNING (state " + service.streams().state() + ")");
            }
            Thread.sleep(50);
        }
    }

    /** Sends each camera's frames, and each frame's ground truth to the labels topic (online accuracy metrics). */
    private void produce(Camera[] cameras, ModelSpec spec, Semaphore[] inFlight) {
        String labelsTopic = service.config().topic(Keys.TOPIC_LABELS);
        Properties p = new Properties();
        p.putAll(kafka.adminProperties());
        p.put("acks", "all");
        p.put("linger.ms", "2");
        FrameSource[] sources = new FrameSource[cameras.length];
        for (int i = 0; i < cameras.length; i++) {
            sources[i] = new FrameSource(cameras[i], spec.input().width(), spec.input().height());
        }
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (long n = 0; options.framesPerCamera() == 0 || n < options.framesPerCamera(); n++) {
                for (int i = 0; i < cameras.length; i++) {
                    while (!inFlight[i].tryAcquire(100, TimeUnit.MILLISECONDS)) {
                        if (stopping.get()) {
                            return;
                        }
                    }
                    FrameSource.Frame frame = sources[i].next();
                    groundTruth.put(frame.frameId(), frame.groundTruth());
                    RecordHeaders headers = new RecordHeaders();
                    headers.add("frame-id", frame.frameId().getBytes(StandardCharsets.UTF_8));
                    headers.add("content-type", "image/png".getBytes(StandardCharsets.UTF_8));
                    byte[] key = cameras[i].domain().getBytes(StandardCharsets.UTF_8);
                    producer.send(new ProducerRecord<>(service.names().framesTopic(), null, key, frame.png(), headers));
                    producer.send(new ProducerRecord<>(labelsTopic, null, key, LabelJson.segmentation(frame.frameId(),
                            frame.groundTruth(), spec.input().width(), spec.input().height(), spec.classes())));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void consume(Scoreboard board, Semaphore[] inFlight, Map<String, Integer> cameraIndex, int cameras) throws IOException {
        Properties p = new Properties();
        p.putAll(kafka.adminProperties());
        p.put("group.id", "adastream-demo-scoreboard");
        p.put("auto.offset.reset", "earliest");
        p.put("isolation.level", "read_committed");
        long expected = options.framesPerCamera() * cameras;
        long nextPrint = System.nanoTime() + options.printEvery().toNanos();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(service.names().predictionsTopic(), service.names().deadLetterTopic()));
            while (!stopping.get() && (expected == 0 || board.totalFrames() + deadLetters.get() < expected)) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.topic().equals(service.names().deadLetterTopic())) {
                        deadLetters.incrementAndGet();
                        continue;
                    }
                    JsonNode prediction = JSON.readTree(r.value());
                    byte[] truth = groundTruth.remove(prediction.get("frame_id").asText());
                    Integer camera = cameraIndex.get(prediction.get("domain").asText());
                    if (truth != null && camera != null) {
                        board.add(prediction, truth);
                        inFlight[camera].release();
                    }
                }
                if (System.nanoTime() > nextPrint) {
                    board.print(out, deadLetters.get());
                    nextPrint = System.nanoTime() + options.printEvery().toNanos();
                }
                if (service.streams().state() == KafkaStreams.State.ERROR) {
                    throw new IllegalStateException("the service failed; see the log above");
                }
            }
        }
    }

    /** Asks a running demo to finish (Ctrl-C). */
    public void stop() {
        stopping.set(true);
    }

    @Override
    public void close() {
        stopping.set(true);
        if (service != null) {
            service.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (stateDir != null) {
            deleteQuietly(stateDir);
            stateDir.getParent().toFile().delete(); // only if empty
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder; the OS cleans it eventually
        }
    }
}
