package io.adastream.topology;

import ai.onnx.proto.OnnxMl.ModelProto;
import io.adastream.topology.config.AdaStreamConfig;
import io.adastream.topology.config.Keys;
import io.adastream.embedded.EmbeddedKafka;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real service on the embedded KRaft broker with its HTTP port: /metrics scraped and parsed as frames flow
 * (and, where promtool is installed, checked by Prometheus' own text-format parser), every metric the Grafana
 * dashboard and the alert rules query is exported, and the admin API answers from the live domain store.
 */
class MetricsEndpointServiceTest {

    static final String TOKEN = "test-admin-token";
    static final int FRAMES_PER_DOMAIN = 12;
    static final Path DOCKER = Path.of("..", "docker");
    static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})?\\s+(\\S+)(\\s+\\d+)?$");
    static final Pattern REFERENCED = Pattern.compile("\\b((?:adastream|kafka_stream|jvm|process)_[a-z0-9_]+)\\b");

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    @Test
    void metricsMoveAsFramesFlowAndTheAdminApiServesTheLiveDomains() throws Exception {
        EmbeddedKafka.quietBrokerLogging();
        Path spec = writeTinyModel();
        int port = freePort();
        try (EmbeddedKafka kafka = EmbeddedKafka.startInProcess()) {
            Map<String, String> settings = new HashMap<>();
            settings.put("bootstrap.servers", kafka.bootstrapServers());
            settings.put("application.id", "adastream-metrics-it");
            settings.put("state.dir", dir.resolve("state").toString());
            settings.put(Keys.MODEL_SPEC, spec.toString());
            settings.put(Keys.INFERENCE_THREADS, "1");
            settings.put(Keys.SNAPSHOT_INTERVAL_MS, "500");
            settings.put(Keys.METRICS_PORT, Integer.toString(port));
            settings.put(Keys.ADMIN_TOKEN, TOKEN);
            settings.put(Keys.HTTP_BIND_ADDRESS, "127.0.0.1");
            settings.put(Keys.SHADOW_SOURCE, "true");
            settings.put(Keys.LABELS_ENABLED, "true");
            settings.put("streams.application.server", "localhost:" + port);
            AdaStreamConfig config = AdaStreamConfig.of(settings);
            try (AdaStreamService service = AdaStreamService.create(config)) {
                TopicsSetup.ensure(kafka.adminProperties(), service.names(), config.topic(Keys.TOPIC_LABELS), 2, (short) 1);
                service.start();
                assertEquals(port, service.httpPort());
                await("ready").atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> get("/health/ready").statusCode() == 200);
                Scrape before = scrape();
                assertEquals(0, before.sum("adastream_frames_total"), "no frames yet");

                try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka.adminProperties(),
                        new ByteArraySerializer(), new ByteArraySerializer())) {
                    for (int i = 0; i < FRAMES_PER_DOMAIN; i++) {
                        send(producer, service, "cam-a", "a" + i, TestModels.png(i, 16, 16, 0));
                        send(producer, service, "cam-b", "b" + i, TestModels.png(100 + i, 16, 16, 120));
                        // ground truth for cam-a's frames: online accuracy
                        producer.send(new ProducerRecord<>(config.topic(Keys.TOPIC_LABELS), "cam-a".getBytes(StandardCharsets.UTF_8),
                                OnlineAccuracyTopologyTest.label("a" + i, OnlineAccuracyTopologyTest.truthMask(i))));
                    }
                    send(producer, service, "cam-a", "bad", "not an image".getBytes(StandardCharsets.UTF_8));
                    producer.flush();
                }
                await("frames counted").atMost(Duration.ofSeconds(120)).ignoreExceptions().until(() -> scrape().sum("adastream_frames_total") == 2 * FRAMES_PER_DOMAIN
                        && scrape().sum("adastream_dead_letters_total") == 1
                        && scrape().sum("adastream_snapshots_written_total") >= 2
                        && scrape().sum("adastream_labeled_frames_total") == FRAMES_PER_DOMAIN);
                Scrape after = scrape();
                Files.createDirectories(Path.of("target", "scrape"));
                Files.writeString(Path.of("target", "scrape", "metrics.txt"), after.text);
                promtoolAccepts(after.text);

                assertEquals(FRAMES_PER_DOMAIN, after.sum("adastream_frames_total", "domain=\"cam-a\""));
                assertEquals(1, after.sum("adastream_dead_letters_total", "reason=\"unknown-format\""));
                assertEquals(FRAMES_PER_DOMAIN, after.sum("adastream_domain_frames", "domain=\"cam-b\""));
                assertEquals(2 * FRAMES_PER_DOMAIN, after.sum("adastream_inference_duration_seconds_count"));
                assertEquals(2 * FRAMES_PER_DOMAIN, after.sum("adastream_adaptation_duration_seconds_count"));
                assertEquals(2, after.sum("adastream_live_domains"));
                assertTrue(after.sum("adastream_state_written_bytes_total") > before.sum("adastream_state_written_bytes_total"));
                assertTrue(after.names.contains("adastream_domain_shift_score"), "shift score exported");
                double adapted = after.sum("adastream_domain_accuracy", "domain=\"cam-a\"", "model=\"adapted\"", "measure=\"miou\"");
                double source = after.sum("adastream_domain_accuracy", "domain=\"cam-a\"", "model=\"source\"", "measure=\"miou\"");
                assertTrue(adapted > 0 && adapted <= 1 && source > 0 && source <= 1, "online accuracy " + adapted + ", " + source);
                assertTrue(after.names.contains("jvm_memory_used_bytes"), "JVM metrics exported");
                assertTrue(after.sum("kafka_stream_thread_process_total") >= 2 * FRAMES_PER_DOMAIN,
                        "Kafka Streams client metrics exported: " + after.names.stream().filter(n -> n.startsWith("kafka_stream_thread")).toList());

                Set<String> missing = new TreeSet<>(referencedMetrics());
                missing.removeAll(after.names);
                assertTrue(missing.isEmpty(), "the dashboard and alert rules query metrics that are not exported: " + missing);

                adminApi(service);
            }
            assertThrows(IOException.class, () -> new Socket("localhost", port).close(), "the port is closed with the service");
        }
    }

    private void adminApi(AdaStreamService service) throws Exception {
        assertEquals(401, anonymous("/domains").statusCode(), "with admin.token set, reads of domain data need it");
        assertEquals(401, anonymous("/domains/cam-a/snapshot").statusCode());
        assertEquals(200, anonymous("/metrics").statusCode(), "metrics stay open");
        HttpResponse<byte[]> list = get("/domains");
        assertEquals(200, list.statusCode());
        String body = new String(list.body(), StandardCharsets.UTF_8);
        assertTrue(body.contains("\"domain\":\"cam-a\"") && body.contains("\"domain\":\"cam-b\"") && body.contains("\"count\":2"), body);

        HttpResponse<byte[]> snapshot = get("/domains/cam-a/snapshot");
        assertEquals(200, snapshot.statusCode());
        assertArrayEquals("ADSS".getBytes(StandardCharsets.US_ASCII), Arrays.copyOf(snapshot.body(), 4));

        HttpResponse<byte[]> model = get("/domains/cam-b/model.onnx");
        assertEquals(200, model.statusCode());
        ModelProto exported = ModelProto.parseFrom(model.body());
        assertTrue(exported.getGraph().getNodeCount() > 0);

        assertEquals(404, get("/domains/cam-zzz/snapshot").statusCode());
        assertEquals(400, get("/domains/..%2F..%2Fetc%2Fpasswd/snapshot").statusCode());
        assertEquals(401, post("/domains/cam-a/reset", null).statusCode());
        assertEquals(401, post("/domains/cam-a/reset", "wrong").statusCode());
        assertEquals(404, post("/domains/cam-zzz/reset", TOKEN).statusCode());
        long version = version("cam-a");
        assertTrue(version > 0);
        assertEquals(202, post("/domains/cam-a/reset", TOKEN).statusCode());
        await("reset applied through the control topic").atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> version("cam-a") > version);
        assertTrue(version("cam-b") > 0, "the other domain is untouched");
    }

    /** The domain's state version as GET /domains reports it. */
    private long version(String domain) throws IOException, InterruptedException {
        Matcher m = Pattern.compile("\\{\"domain\":\"" + Pattern.quote(domain) + "\",\"frames\":\\d+,\"version\":(\\d+)")
                .matcher(new String(get("/domains").body(), StandardCharsets.UTF_8));
        assertTrue(m.find(), domain + " is listed");
        return Long.parseLong(m.group(1));
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, AdaStreamService service, String domain,
                             String frameId, byte[] value) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("frame-id", frameId.getBytes(StandardCharsets.UTF_8));
        producer.send(new ProducerRecord<>(service.names().framesTopic(), null, domain.getBytes(StandardCharsets.UTF_8), value, headers));
    }

    private Path writeTinyModel() throws Exception {
        return ServiceTestSupport.writeTinyModel(dir);
    }

    /** Every metric name the Grafana dashboards and the Prometheus rules of docker/ refer to. */
    static Set<String> referencedMetrics() throws IOException {
        Set<String> names = new TreeSet<>();
        for (Path p : new Path[]{DOCKER.resolve("prometheus/alerts.yml"), DOCKER.resolve("grafana/dashboards/adastream.json")}) {
            Matcher m = REFERENCED.matcher(Files.readString(p));
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        names.removeIf(n -> n.startsWith("adastream_rules_")); // recording-rule outputs, not exported by the service
        assertTrue(names.size() > 5, "found the metric names in docker/: " + names);
        return names;
    }

    /** Prometheus' own text-format parser and linter, when installed (docker/check.sh installs it). */
    private static void promtoolAccepts(String text) throws Exception {
        Path promtool = Path.of("/usr/bin/promtool");
        if (!Files.isExecutable(promtool)) {
            System.out.println("promtool not installed: the scrape is parsed by this test only");
            return;
        }
        Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
        p.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "promtool finished");
        assertEquals(0, p.exitValue(), "promtool check metrics:\n" + out);
    }

    private Scrape scrape() throws IOException, InterruptedException {
        HttpResponse<byte[]> r = get("/metrics");
        assertEquals(200, r.statusCode());
        return new Scrape(new String(r.body(), StandardCharsets.UTF_8));
    }

    private HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + TOKEN).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<byte[]> anonymous(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<byte[]> post(String path, String token) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private int port;

    private String base() {
        return "http://localhost:" + port;
    }

    private int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
            return port;
        }
    }

    /** The samples of one scrape in the Prometheus text format (the subset of the grammar the client writes). */
    static final class Scrape {
        final String text;
        final Set<String> names = new TreeSet<>();
        final Map<String, Double> samples = new HashMap<>();

        Scrape(String text) {
            this.text = text;
            for (String line : text.split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                Matcher m = SAMPLE.matcher(line);
                assertTrue(m.matches(), "not a sample line: " + line);
                names.add(m.group(1));
                samples.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(3)));
            }
        }

        /** The sum of the samples named {@code name} whose labels contain every given {@code label="value"}. */
        double sum(String name, String... labels) {
            double total = 0;
            for (Map.Entry<String, Double> e : samples.entrySet()) {
                String key = e.getKey();
                if (!(key.equals(name) || key.startsWith(name + "{"))) {
                    continue;
                }
                if (Arrays.stream(labels).allMatch(key::contains)) {
                    total += e.getValue();
                }
            }
            return total;
        }
    }

}
