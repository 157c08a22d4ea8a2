package io.adastream.topology;

import io.adastream.topology.config.AdaStreamConfig;
import io.adastream.topology.config.Keys;
import io.adastream.embedded.EmbeddedKafka;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The admin API across two instances of one application on the embedded broker: each instance answers for every
 * domain, whichever instance holds it (interactive queries with {@code application.server}), and {@code
 * ?scope=local} for its own only.
 */
class DomainDirectoryAcrossInstancesTest {

    static final String TOKEN = "two-instance-token";
    static final List<String> DOMAINS = List.of("site-1", "site-2", "site-3", "site-4", "site-5", "site-6");

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void everyInstanceAnswersForEveryDomain() throws Exception {
        EmbeddedKafka.quietBrokerLogging();
        Path spec = ServiceTestSupport.writeTinyModel(dir);
        try (EmbeddedKafka kafka = EmbeddedKafka.startInProcess()) {
            int portA = freePort();
            int portB = freePort();
            try (AdaStreamService a = service(kafka, spec, "a", portA); AdaStreamService b = service(kafka, spec, "b", portB)) {
                TopicsSetup.ensure(kafka.adminProperties(), a.names(), a.config().topic(Keys.TOPIC_LABELS), 2, (short) 1);
                a.start();
                b.start();
                await("both instances own a partition").atMost(Duration.ofMinutes(2)).ignoreExceptions().until(() -> ownsATask(a) && ownsATask(b)
                        && a.streams().state() == KafkaStreams.State.RUNNING && b.streams().state() == KafkaStreams.State.RUNNING);
                try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka.adminProperties(),
                        new ByteArraySerializer(), new ByteArraySerializer())) {
                    for (int i = 0; i < 3; i++) {
                        for (String d : DOMAINS) {
                            producer.send(new ProducerRecord<>(a.names().framesTopic(), d.getBytes(StandardCharsets.UTF_8),
                                    TestModels.png(d.hashCode() + i, 16, 16, 40)));
                        }
                    }
                }
                await("every domain listed by A").atMost(Duration.ofMinutes(2)).ignoreExceptions().until(
                        () -> domains(portA, "").size() == DOMAINS.size() && versions(portA, "").values().stream().allMatch(v -> v == 3));

                Map<String, Long> all = versions(portA, "");
                assertEquals(all, versions(portB, ""), "both instances list the same domains and versions");
                Map<String, Long> localA = versions(portA, "?scope=local");
                Map<String, Long> localB = versions(portB, "?scope=local");
                assertFalse(localA.isEmpty() || localB.isEmpty(), "each instance holds some domains: " + localA + " " + localB);
                assertEquals(DOMAINS.size(), localA.size() + localB.size());
                assertTrue(localA.keySet().stream().noneMatch(localB::containsKey));

                String remote = localB.keySet().iterator().next();
                byte[] viaA = get(portA, "/domains/" + remote + "/snapshot").body();
                byte[] atB = get(portB, "/domains/" + remote + "/snapshot?scope=local").body();
                assertArrayEquals(atB, viaA, "A fetches B's domain from B");
                assertEquals(404, get(portA, "/domains/" + remote + "/snapshot?scope=local").statusCode());
                assertEquals(200, get(portA, "/domains/" + remote + "/model.onnx").statusCode());

                assertEquals(202, post(portA, "/domains/" + remote + "/reset").statusCode());
                long before = all.get(remote);
                await("the reset sent through A applied by B").atMost(Duration.ofMinutes(1)).ignoreExceptions().until(
                        () -> versions(portB, "?scope=local").get(remote) > before);
                assertEquals(all.get(localA.keySet().iterator().next()),
                        versions(portA, "?scope=local").get(localA.keySet().iterator().next()), "others untouched");
            }
        }
    }

    private AdaStreamService service(EmbeddedKafka kafka, Path spec, String name, int port) throws Exception {
        Map<String, String> s = new HashMap<>();
        s.put("bootstrap.servers", kafka.bootstrapServers());
        s.put("application.id", "adastream-directory-it");
        s.put("state.dir", dir.resolve("state-" + name).toString());
        s.put(Keys.MODEL_SPEC, spec.toString());
        s.put(Keys.INFERENCE_THREADS, "1");
        s.put(Keys.METRICS_PORT, Integer.toString(port));
        s.put(Keys.ADMIN_TOKEN, TOKEN);
        s.put("streams.application.server", "localhost:" + port);
        s.put("streams.num.standby.replicas", "0");
        return AdaStreamService.create(AdaStreamConfig.of(s));
    }

    private static boolean ownsATask(AdaStreamService s) {
        return s.streams().metadataForLocalThreads().stream().anyMatch(t -> !t.activeTasks().isEmpty());
    }

    static final Pattern ENTRY = Pattern.compile("\\{\"domain\":\"([^\"]+)\",\"frames\":\\d+,\"version\":(\\d+)");

    private Map<String, Long> versions(int port, String query) throws IOException, InterruptedException {
        Map<String, Long> out = new HashMap<>();
        Matcher m = ENTRY.matcher(new String(get(port, "/domains" + query).body(), StandardCharsets.UTF_8));
        while (m.find()) {
            out.put(m.group(1), Long.parseLong(m.group(2)));
        }
        return out;
    }

    private List<String> domains(int port, String query) throws IOException, InterruptedException {
        return List.copyOf(versions(port, query).keySet());
    }

    private HttpResponse<byte[]> get(int port, String path) throws IOException, InterruptedException {
        // reads of domain data need the token: the instance asked forwards it to the one that owns the domain
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + TOKEN).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<byte[]> post(int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
