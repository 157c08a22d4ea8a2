package io.adastream.benchmarks;

import io.adastream.adapt.inference.AdaptiveRunner;
import io.adastream.adapt.stats.DomainAdapter;
import io.adastream.adapt.session.SessionConfig;
import io.adastream.adapt.session.Workspace;
import io.adastream.adapt.stats.DomainState;
import io.adastream.adapt.stats.FrameOutcome;
import io.adastream.demo.Camera;
import io.adastream.demo.FrameSource;
import io.adastream.models.io.ImageDecoder;
import io.adastream.models.spec.BundledModels;
import io.adastream.models.spec.ModelSpec;
import io.adastream.models.task.LetterboxTransform;
import io.adastream.models.task.TaskAdapter;
import io.adastream.topology.AdaStreamService;
import io.adastream.topology.ModelRuntime;
import io.adastream.topology.ServiceMetrics;
import io.adastream.topology.TopicsSetup;
import io.adastream.topology.config.AdaStreamConfig;
import io.adastream.topology.config.Keys;
import io.adastream.embedded.EmbeddedKafka;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * The service with dynamic batching against the bare loop at the same batch size, same frames, same run: for
 * {@code num.stream.threads} 1, 2, 4 and {@code inference.batch.max} 1, 4, 8, frames per second with a backlog of
 * every frame (throughput), then p50 and p99 end-to-end latency (send to committed prediction) with the frames
 * offered at a fixed rate, for the demo segmenter and UltraFace slim-320 (skipped when {@code ../shared} is absent):
 * {@code scripts/bench.sh service [FRAMES]}.
 */
public final class ServiceBatchingBenchmark {

    static final int[] THREADS = {1, 2, 4};
    static final int[] BATCH = {1, 4, 8};
    static final int PARTITIONS = 4;
    static final int DOMAINS = 8;

    /** One model to serve: its name, the {@code model.spec} value, its frames (encoded images) and their domains. */
    record Served(String name, String specRef, ModelSpec spec, byte[] onnx, List<String> domains, List<byte[]> images) {
    }

    /** One row of the table. */
    record Row(String model, int threads, int batchMax, double serviceFps, double bareFps, double meanBatch,
               double p50Ms, double p99Ms, double offeredFps) {
    }

    private ServiceBatchingBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int frames = args.length > 0 ? Integer.parseInt(args[0]) : 800;
        List<Served> models = new ArrayList<>();
        models.add(demoSegmenter(frames));
        Served ultraface = ultrafaceSlim(frames / 4);
        if (ultraface != null) {
            models.add(ultraface);
        }
        EmbeddedKafka.quietBrokerLogging();
        List<Row> rows = new ArrayList<>();
        try (EmbeddedKafka kafka = EmbeddedKafka.startInProcess()) {
            int run = 0;
            for (Served m : models) {
                Map<Integer, Double> bare = new HashMap<>();
                for (int b : BATCH) {
                    bare.put(b, bareFramesPerSecond(m, b));
                    System.out.printf(Locale.ROOT, "%s bare loop, batch %d: %.1f frames/s%n", m.name(), b, bare.get(b));
                }
                double offered = 0.6 * bare.get(1);
                for (int t : THREADS) {
                    for (int b : BATCH) {
                        Row row = serve(kafka, m, t, b, bare.get(b), offered, run++);
                        rows.add(row);
                        System.out.printf(Locale.ROOT, "%s threads %d batch max %d: %.1f frames/s (%.2f of bare), mean batch "
                                        + "%.2f, p50 %.1f ms, p99 %.1f ms at %.0f frames/s%n", m.name(), t, b, row.serviceFps(),
                                row.serviceFps() / row.bareFps(), row.meanBatch(), row.p50Ms(), row.p99Ms(), offered);
                    }
                }
            }
        }
        System.out.println();
        System.out.println(table(rows));
        System.out.printf(Locale.ROOT, "load average at the end: %s%n", Files.readString(Path.of("/proc/loadavg")).trim());
    }

    static String table(List<Row> rows) {
        StringBuilder s = new StringBuilder();
        s.append("| model | stream threads | batch max | service fps | bare loop fps (same batch) | service / bare "
                + "| mean batch formed | vs batch max 1 | p50 ms | p99 ms |\n");
        s.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Row r : rows) {
            double one = rows.stream().filter(o -> o.model().equals(r.model()) && o.threads() == r.threads() && o.batchMax() == 1)
                    .findFirst().orElseThrow().serviceFps();
            s.append(String.format(Locale.ROOT, "| %s | %d | %d | %.1f | %.1f | %.2f | %.2f | %.2fx | %.1f | %.1f |%n",
                    r.model(), r.threads(), r.batchMax(), r.serviceFps(), r.bareFps(), r.serviceFps() / r.bareFps(),
                    r.meanBatch(), r.serviceFps() / one, r.p50Ms(), r.p99Ms()));
        }
        rows.stream().map(Row::model).distinct().forEach(m -> s.append(String.format(Locale.ROOT,
                "%nlatency of %s measured with the frames offered at %.0f frames/s (0.6 of the bare loop at batch 1)",
                m, rows.stream().filter(r -> r.model().equals(m)).findFirst().orElseThrow().offeredFps())));
        return s.append('\n').toString();
    }

    /** The demo segmenter on the five demo cameras' 64x64 frames, spread over eight domains. */
    static Served demoSegmenter(int frames) throws Exception {
        Camera[] cameras = Camera.defaults();
        FrameSource[] sources = new FrameSource[cameras.length];
        for (int c = 0; c < cameras.length; c++) {
            sources[c] = new FrameSource(cameras[c], 64, 64);
        }
        List<String> names = domainNames();
        List<String> domains = new ArrayList<>();
        List<byte[]> images = new ArrayList<>();
        for (int i = 0; i < frames; i++) {
            domains.add(names.get(i % DOMAINS));
            images.add(sources[i % DOMAINS % cameras.length].next().png());
        }
        return new Served("demo-segmenter", "bundled:segmenter", BundledModels.spec(BundledModels.SEGMENTER),
                BundledModels.onnx(BundledModels.SEGMENTER), domains, images);
    }

    /** UltraFace slim-320 (BatchNorm kept, batch fixed to 1 at export) on COCO frames, or null where absent. */
    static Served ultrafaceSlim(int frames) throws Exception {
        Path onnx = BenchModel.sharedData().resolve("ultraface/version-slim-320.onnx").toAbsolutePath();
        Path images = BenchModel.sharedData().resolve("coco-val128/images");
        if (!Files.isRegularFile(onnx) || !Files.isDirectory(images)) {
            System.err.println("skipping ultraface-slim-320: " + onnx + " or " + images + " is absent");
            return null;
        }
        Path spec = Files.createTempDirectory("adastream-bench-spec").resolve("ultraface-slim.json");
        Files.writeString(spec, """
                {"name": "ultraface-slim-320", "task": "detection", "model": "%s",
                 "input": {"name": "input", "width": 320, "height": 240, "resize": "stretch", "channels": "RGB",
                           "normalize": "signed-127"},
                 "classes": ["background", "face"],
                 "output": {"decoder": "ssd", "boxes": "boxes", "scores": "scores",
                            "boxForm": "corners", "boxUnits": "normalized"},
                 "detection": {"scoreThreshold": 0.7, "iouThreshold": 0.3, "maxDetections": 50}}
                """.formatted(onnx.toString().replace("\\", "/")));
        List<byte[]> files;
        try (Stream<Path> list = Files.walk(images)) {
            files = list.filter(p -> p.toString().endsWith(".jpg")).sorted().limit(64).map(p -> {
                try {
                    return Files.readAllBytes(p);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
        if (files.isEmpty()) {
            System.err.println("skipping ultraface-slim-320: no JPEG frames under " + images);
            return null;
        }
        List<String> names = domainNames();
        List<String> domains = new ArrayList<>();
        List<byte[]> frameBytes = new ArrayList<>();
        for (int i = 0; i < frames; i++) {
            domains.add(names.get(i % DOMAINS));
            frameBytes.add(files.get(i % files.size()));
        }
        return new Served("ultraface-slim-320", spec.toString(), ModelSpec.load(spec), Files.readAllBytes(onnx), domains, frameBytes);
    }

    /** Eight domain ids, two on each of the four partitions (Kafka's default partitioner of the key). */
    static List<String> domainNames() {
        List<String> names = new ArrayList<>();
        int[] perPartition = new int[PARTITIONS];
        for (int i = 0; names.size() < DOMAINS; i++) {
            String name = "cam-" + i;
            int p = Utils.toPositive(Utils.murmur2(name.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
            if (perPartition[p] < DOMAINS / PARTITIONS) {
                perPartition[p]++;
                names.add(name);
            }
        }
        return names;
    }

    /**
     * The service's per-frame work without Kafka in one thread, frames in batches of {@code batch} (decode,
     * pre-process, adaptive inference and fold, post-process), after a warm-up pass: frames per second.
     */
    static double bareFramesPerSecond(Served m, int batch) throws Exception {
        try (ModelRuntime runtime = new ModelRuntime(m.spec(), m.onnx(), SessionConfig.cpu().withIntraOpThreads(1),
                io.adastream.adapt.stats.policy.Policies.DEFAULT, Map.of(),
                io.adastream.adapt.inference.AdaptationMode.FUSED, new ModelRuntime.Batching(batch, Duration.ZERO))) {
            ImageDecoder decoder = new ImageDecoder();
            TaskAdapter task = TaskAdapter.forSpec(runtime.spec());
            int size = runtime.batching().max();
            try (AdaptiveRunner runner = new AdaptiveRunner(runtime.session(), new DomainAdapter(runtime.source()), runtime.mode())) {
                Workspace ws = runner.workspace(size);
                DomainState[] states = new DomainState[size];
                FrameOutcome[] outcomes = new FrameOutcome[size];
                LetterboxTransform[] transforms = new LetterboxTransform[size];
                io.adastream.models.task.WorkspaceOutputs outputs = new io.adastream.models.task.WorkspaceOutputs(ws);
                double fps = 0;
                int n = m.images().size() - m.images().size() % size;
                for (int pass = 0; pass < 2; pass++) {
                    Map<String, DomainState> byDomain = new HashMap<>();
                    long start = System.nanoTime();
                    for (int i = 0; i < n; i += size) {
                        for (int k = 0; k < size; k++) {
                            states[k] = byDomain.computeIfAbsent(m.domains().get(i + k),
                                    d -> runner.adapter().newDomain(runtime.defaultPolicy()));
                            BufferedImage image = decoder.decode(m.images().get(i + k));
                            transforms[k] = task.preprocess(image, ws.input(runtime.spec().input().name()), k);
                        }
                        runner.run(ws, states, outcomes);
                        for (int k = 0; k < size; k++) {
                            task.decode(outputs, k, transforms[k]);
                        }
                    }
                    fps = n / ((System.nanoTime() - start) / 1e9);
                }
                return fps;
            }
        }
    }

    /** One service configuration on fresh topics: throughput over a backlog, then latency at the offered rate. */
    static Row serve(EmbeddedKafka kafka, Served m, int threads, int batchMax, double bareFps, double offered, int run)
            throws Exception {
        Path state = Files.createTempDirectory("adastream-bench");
        String prefix = "bench" + run + ".";
        Map<String, String> settings = new HashMap<>();
        settings.put(Keys.MODEL_SPEC, m.specRef());
        settings.put(Keys.INFERENCE_THREADS, "1");
        settings.put(Keys.INFERENCE_BATCH_MAX, Integer.toString(batchMax));
        settings.put(Keys.INFERENCE_BATCH_WAIT_MS, "2");
        settings.put(Keys.METRICS_PORT, "0");
        settings.put("streams.num.stream.threads", Integer.toString(threads));
        settings.put("bootstrap.servers", kafka.bootstrapServers());
        settings.put("state.dir", state.toString());
        settings.put("application.id", "adastream-bench-" + run);
        for (String topic : Keys.TOPICS) {
            settings.put(topic, prefix + topic.substring("topic.".length()));
        }
        AdaStreamConfig config = AdaStreamConfig.of(settings);
        try (AdaStreamService service = AdaStreamService.create(config, ServiceMetrics.NONE)) {
            TopicsSetup.ensure(kafka.adminProperties(), service.names(), config.topic(Keys.TOPIC_LABELS), PARTITIONS, (short) 1);
            service.start();
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (service.streams().state() != KafkaStreams.State.RUNNING) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the service did not reach RUNNING in 2 minutes");
                }
                LockSupport.parkNanos(20_000_000L);
            }
            Properties p = new Properties();
            p.putAll(kafka.adminProperties());
            p.put("linger.ms", "1");
            Properties c = new Properties();
            c.putAll(kafka.adminProperties());
            c.put("group.id", "bench-" + run);
            c.put("auto.offset.reset", "earliest");
            c.put("isolation.level", "read_committed");
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
                 KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                consumer.subscribe(List.of(service.names().predictionsTopic()));
                while (consumer.assignment().isEmpty()) {
                    consumer.poll(Duration.ofMillis(100));
                }
                String topic = service.names().framesTopic();
                backlogPass(producer, consumer, topic, m); // warm-up: JVM, ONNX Runtime, clients, every domain's state
                long[] before = service.runtime().batchSizeCounts();
                double fps = backlogPass(producer, consumer, topic, m);
                double meanBatch = meanBatch(before, service.runtime().batchSizeCounts());
                double[] latency = pacedPass(producer, consumer, topic, m, offered);
                return new Row(m.name(), threads, batchMax, fps, bareFps, meanBatch, latency[0], latency[1], offered);
            }
        }
    }

    /** Frames per batch between two counts of batches by size; 1 without batching. */
    static double meanBatch(long[] before, long[] after) {
        long batches = 0;
        long frames = 0;
        for (int k = 1; k < after.length; k++) {
            long n = after[k] - (k < before.length ? before[k] : 0);
            batches += n;
            frames += n * k;
        }
        return batches == 0 ? 1.0 : (double) frames / batches;
    }

    /** Sends every frame at once and waits for every prediction: frames per second from the first send to the last prediction. */
    static double backlogPass(KafkaProducer<byte[], byte[]> producer, KafkaConsumer<byte[], byte[]> consumer, String topic,
                              Served m) {
        long start = System.nanoTime();
        for (int i = 0; i < m.images().size(); i++) {
            producer.send(new ProducerRecord<>(topic, m.domains().get(i).getBytes(StandardCharsets.UTF_8), m.images().get(i)));
        }
        producer.flush();
        long last = awaitPredictions(consumer, m.images().size(), null);
        return m.images().size() / ((last - start) / 1e9);
    }

    /** Sends the frames at {@code rate} per second; p50 and p99 of send (record timestamp) to committed prediction, in ms. */
    static double[] pacedPass(KafkaProducer<byte[], byte[]> producer, KafkaConsumer<byte[], byte[]> consumer, String topic,
                              Served m, double rate) {
        int n = m.images().size();
        long[] latencies = new long[n];
        Thread sender = new Thread(() -> {
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                long due = start + (long) (i * 1e9 / rate);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                producer.send(new ProducerRecord<>(topic, null, System.currentTimeMillis(),
                        m.domains().get(i).getBytes(StandardCharsets.UTF_8), m.images().get(i)));
            }
            producer.flush();
        }, "bench-sender");
        sender.start();
        awaitPredictions(consumer, n, latencies);
        try {
            sender.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Arrays.sort(latencies);
        return new double[]{latencies[(int) Math.floor(0.50 * (n - 1))], latencies[(int) Math.floor(0.99 * (n - 1))]};
    }

    /** Polls until {@code n} predictions arrived (within 10 minutes); records each one's latency when asked; the arrival time of the last. */
    private static long awaitPredictions(KafkaConsumer<byte[], byte[]> consumer, int n, long[] latencies) {
        int received = 0;
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        long last = System.nanoTime();
        while (received < n && System.nanoTime() < deadline) {
            var records = consumer.poll(Duration.ofMillis(50));
            long now = System.currentTimeMillis();
            for (ConsumerRecord<byte[], byte[]> r : records) {
                if (latencies != null && received < n) {
                    latencies[received] = now - r.timestamp();
                }
                received++;
            }
            if (!records.isEmpty()) {
                last = System.nanoTime();
            }
        }
        if (received < n) {
            throw new IllegalStateException("only " + received + " of " + n + " predictions arrived");
        }
        return last;
    }
}
