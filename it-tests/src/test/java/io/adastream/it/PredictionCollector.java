package io.adastream.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.awaitility.Awaitility.await;

/**
 * Follows a predictions topic with {@code isolation.level=read_committed} from a background thread, as a
 * downstream consumer would: counts every prediction per frame id, keeps each domain's predictions in arrival
 * order, and the end-to-end latency (arrival minus the frame's timestamp, which the prediction keeps).
 */
final class PredictionCollector implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One prediction as received. */
    /**
     * One prediction: its frame and domain, the adaptation state it was made with ({@code version} grows by one per
     * frame the domain observes, {@code frames} counts the frames folded, {@code outcome} what the frame did to the
     * state), when it arrived, and the prediction itself (its {@code result} object as JSON text).
     */
    record Prediction(String frameId, String domain, long version, long framesFolded, String outcome,
                      long arrivalNanos, long latencyMs, String result) {

        /** The adaptation fields an uninterrupted run must reproduce exactly. */
        String adaptation() {
            return "version " + version + ", frames " + framesFolded + ", " + outcome;
        }
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private final Map<String, Integer> countById = new ConcurrentHashMap<>();
    private final Map<String, List<Prediction>> byDomain = new HashMap<>();
    private final List<Long> latencies = new ArrayList<>();
    private final AtomicInteger total = new AtomicInteger();
    private volatile long lastArrival;
    private volatile boolean stop;
    private volatile RuntimeException failure;

    PredictionCollector(String bootstrap, String topic) {
        consumer = new KafkaConsumer<>(KafkaIO.consumerProperties(bootstrap, true), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        thread = new Thread(this::run, "prediction-collector");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (!stop) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    long now = System.nanoTime();
                    long latency = System.currentTimeMillis() - r.timestamp();
                    Prediction p = parse(r, now, latency);
                    synchronized (this) {
                        byDomain.computeIfAbsent(p.domain(), d -> new ArrayList<>()).add(p);
                        latencies.add(latency);
                    }
                    countById.merge(p.frameId(), 1, Integer::sum);
                    lastArrival = now;
                    total.incrementAndGet();
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    static Prediction parse(ConsumerRecord<byte[], byte[]> r, long arrival, long latency) {
        try {
            JsonNode n = JSON.readTree(r.value());
            Header h = r.headers().lastHeader("frame-id");
            String id = n.path("frame_id").asText();
            if (h != null && !id.equals(new String(h.value(), StandardCharsets.UTF_8))) {
                throw new AssertionError("frame-id header and frame_id differ: " + id);
            }
            JsonNode a = n.path("adaptation");
            return new Prediction(id, n.path("domain").asText(), a.path("version").asLong(-1),
                    a.path("frames").asLong(-1), a.path("outcome").asText(), arrival, latency, n.path("result").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Distinct frame ids predicted so far. */
    int distinct() {
        check();
        return countById.size();
    }

    int total() {
        check();
        return total.get();
    }

    long lastArrivalNanos() {
        return lastArrival;
    }

    /** Waits until at least n distinct frames were predicted. */
    void awaitDistinct(int n, Duration timeout) {
        await(n + " distinct predictions").atMost(timeout)
                .untilAsserted(() -> assertTrue(distinct() >= n, () -> distinct() + " distinct, " + total() + " in all"));
    }

    synchronized Map<String, List<Prediction>> byDomain() {
        Map<String, List<Prediction>> copy = new HashMap<>();
        byDomain.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        return copy;
    }

    /** The latencies of the predictions that arrived after the given instant. */
    synchronized List<Long> latenciesSince(int fromIndex) {
        return List.copyOf(latencies.subList(Math.min(fromIndex, latencies.size()), latencies.size()));
    }

    private void check() {
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        consumer.wakeup();
        thread.join(30_000);
        consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(10)));
    }
}
