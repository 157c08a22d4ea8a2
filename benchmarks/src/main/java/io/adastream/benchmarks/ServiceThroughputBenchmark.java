package io.adastream.benchmarks;

import io.adastream.adapt.inference.AdaptationMode;
import io.adastream.adapt.inference.AdaptiveRunner;
import io.adastream.adapt.session.SessionConfig;
import io.adastream.adapt.stats.policy.Policies;
import io.adastream.models.spec.BundledModels;
import io.adastream.adapt.session.Workspace;
import io.adastream.adapt.stats.DomainAdapter;
import io.adastream.adapt.stats.DomainState;
import io.adastream.adapt.stats.FrameOutcome;
import io.adastream.demo.Camera;
import io.adastream.demo.FrameSource;
import io.adastream.models.io.ImageDecoder;
import io.adastream.models.task.LetterboxTransform;
import io.adastream.models.task.TaskAdapter;
import io.adastream.topology.AdaStreamService;
import io.adastream.topology.ModelRuntime;
import io.adastream.topology.ServiceMetrics;
import io.adastream.topology.TopicsSetup;
import io.adastream.topology.config.AdaStreamConfig;
import io.adastream.topology.config.Keys;
import io.adastream.embedded.EmbeddedKafka;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Frames per second of the whole service (embedded broker, exactly-once Kafka Streams, the bundled segmenter)
 * against the same frames through the same per-frame work without Kafka (decode, pre-process, adaptive inference
 * and fold, post-process), same model, same machine, same run: {@code java -cp benchmarks.jar
 * io.adastream.benchmarks.ServiceThroughputBenchmark [FRAMES]}.
 */
public final class ServiceThroughputBenchmark {

    private ServiceThroughputBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int frames = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        Camera[] cameras = Camera.defaults();
        List<String> domains = new ArrayList<>();
        List<byte[]> images = new ArrayList<>();
        Map<String, String> settings = new HashMap<>();
        settings.put(Keys.MODEL_SPEC, "bundled:segmenter");
        settings.put(Keys.INFERENCE_THREADS, "1");
        settings.put("streams.num.stream.threads", "1");
        System.out.printf("rendering %d frames of %d cameras ...%n", frames, cameras.length);
        FrameSource[] sources = new FrameSource[cameras.length];
        for (int c = 0; c < cameras.length; c++) {
            sources[c] = new FrameSource(cameras[c], 64, 64);
        }
        for (int i = 0; i < frames; i++) {
            int c = i % cameras.length;
            domains.add(cameras[c].domain());
            images.add(sources[c].next().png());
        }

        double bare = bareFramesPerSecond(domains, images);
        double service = serviceFramesPerSecond(settings, domains, images);
        System.out.println();
        System.out.printf(Locale.ROOT, "bare AdaptiveSession loop : %8.1f frames/s%n", bare);
        System.out.printf(Locale.ROOT, "service (Kafka, EOS)      : %8.1f frames/s%n", service);
        System.out.printf(Locale.ROOT, "ratio service / bare      : %8.3f (target >= 0.80)%n", service / bare);
    }

    /** The service's per-frame work without Kafka, one thread, after a warm-up pass. */
    static double bareFramesPerSecond(List<String> domains, List<byte[]> images) throws Exception {
        try (ModelRuntime runtime = new ModelRuntime(BundledModels.spec(BundledModels.SEGMENTER),
                BundledModels.onnx(BundledModels.SEGMENTER), SessionConfig.cpu().withIntraOpThreads(1),
                Policies.DEFAULT, Map.of(), AdaptationMode.FUSED)) {
            ImageDecoder decoder = new ImageDecoder();
            TaskAdapter task = TaskAdapter.forSpec(runtime.spec());
            try (AdaptiveRunner runner = new AdaptiveRunner(runtime.session(), new DomainAdapter(runtime.source()),
                    runtime.mode())) {
                Workspace ws = runner.workspace(1);
                Map<String, DomainState> states = new HashMap<>();
                DomainState[] batch = new DomainState[1];
                FrameOutcome[] outcome = new FrameOutcome[1];
                String output = runtime.spec().output().name();
                double fps = 0;
                for (int pass = 0; pass < 2; pass++) {
                    states.clear();
                    long start = System.nanoTime();
                    for (int i = 0; i < images.size(); i++) {
                        batch[0] = states.computeIfAbsent(domains.get(i), d -> runner.adapter().newDomain(runtime.defaultPolicy()));
                        LetterboxTransform t = task.preprocess(decoder.decode(images.get(i)), ws.input(runtime.spec().input().name()), 0);
                        runner.run(ws, batch, outcome);
                        task.decode(ws.output(output), ws.outputShape(output), 0, t);
                    }
                    fps = images.size() / ((System.nanoTime() - start) / 1e9);
                    System.out.printf(Locale.ROOT, "bare loop pass %d: %.1f frames/s%n", pass + 1, fps);
                }
                return fps;
            }
        }
    }

    /**
     * All frames through the service on an embedded broker, twice (the first pass warms up the JVM, ONNX Runtime
     * and the clients, as the bare loop's first pass does); the second pass's frames per second.
     */
    static double serviceFramesPerSecond(Map<String, String> base, List<String> domains, List<byte[]> images) throws Exception {
        EmbeddedKafka.quietBrokerLogging();
        Path state = Files.createTempDirectory("adastream-bench");
        try (EmbeddedKafka kafka = EmbeddedKafka.startInProcess()) {
            Map<String, String> settings = new HashMap<>(base);
            settings.put("bootstrap.servers", kafka.bootstrapServers());
            settings.put("state.dir", state.toString());
            settings.put("application.id", "adastream-bench");
            AdaStreamConfig config = AdaStreamConfig.of(settings);
            try (AdaStreamService service = AdaStreamService.create(config, ServiceMetrics.NONE)) {
                TopicsSetup.ensure(kafka.adminProperties(), service.names(), config.topic(Keys.TOPIC_LABELS), 1, (short) 1);
                service.start();
                while (service.streams().state() != KafkaStreams.State.RUNNING) {
                    Thread.sleep(20);
                }
                Properties p = new Properties();
                p.putAll(kafka.adminProperties());
                p.put("linger.ms", "5");
                Properties c = new Properties();
                c.putAll(kafka.adminProperties());
                c.put("group.id", "bench");
                c.put("auto.offset.reset", "earliest");
                c.put("isolation.level", "read_committed");
                try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
                     KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                    consumer.subscribe(List.of(service.names().predictionsTopic()));
                    while (consumer.assignment().isEmpty()) {
                        consumer.poll(Duration.ofMillis(100));
                    }
                    double fps = 0;
                    for (int pass = 0; pass < 2; pass++) {
                        fps = onePass(service, producer, consumer, domains, images);
                        System.out.printf(Locale.ROOT, "service pass %d: %.1f frames/s%n", pass + 1, fps);
                    }
                    return fps;
                }
            }
        }
    }

    /** Sends every frame and waits for every prediction: frames per second from the first send to the last one. */
    private static double onePass(AdaStreamService service, KafkaProducer<byte[], byte[]> producer,
                                  KafkaConsumer<byte[], byte[]> consumer, List<String> domains, List<byte[]> images) {
        long start = System.nanoTime();
        for (int i = 0; i < images.size(); i++) {
            producer.send(new ProducerRecord<>(service.names().framesTopic(),
                    domains.get(i).getBytes(StandardCharsets.UTF_8), images.get(i)));
        }
        producer.flush();
        long received = 0;
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        long last = start;
        while (received < images.size() && System.nanoTime() < deadline) {
            int n = consumer.poll(Duration.ofMillis(200)).count();
            if (n > 0) {
                received += n;
                last = System.nanoTime();
            }
        }
        if (received < images.size()) {
            throw new IllegalStateException("only " + received + " of " + images.size() + " predictions arrived");
        }
        return images.size() / ((last - start) / 1e9);
    }
}
