package io.adastream.embedded;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Starts real single-node KRaft brokers (in this JVM and in a child JVM), checks exactly-once
 * delivery with a transactional producer and a read_committed consumer, and that the data
 * survives a stop (or a kill) and a restart on the same directory and port.
 */
class EmbeddedKafkaTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void inProcessBrokerTransactionsAndRestart() throws Exception {
        Path dir;
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().build()) {
            dir = kafka.storageDirectory();
            kafka.start();
            System.out.printf("embedded Kafka (in-process) started in %d ms at %s%n",
                    kafka.lastStartupTime().toMillis(), kafka.bootstrapServers());
            assertTrue(kafka.bootstrapServers().startsWith("127.0.0.1:"));
            String clusterId = kafka.clusterId();
            assertNotNull(clusterId);

            kafka.createTopics(List.of(new NewTopic("frames", 3, (short) 1)));
            kafka.createCompactedTopic("snapshots", 2, Map.of(TopicConfig.SEGMENT_MS_CONFIG, "60000"));
            kafka.createTopic("frames", 3, Map.of()); // already exists: left as it is
            try (Admin admin = Admin.create(kafka.adminProperties())) {
                assertEquals(3, admin.describeTopics(List.of("frames")).allTopicNames().get().get("frames").partitions().size());
                ConfigResource snapshots = new ConfigResource(ConfigResource.Type.TOPIC, "snapshots");
                Config config = admin.describeConfigs(List.of(snapshots)).all().get().get(snapshots);
                assertEquals("compact", config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value());
            }

            sendTransactions(kafka, "frames", "tx-a", "before");
            sendTransactions(kafka, "snapshots", "tx-b", "snap");
            assertEquals(expected("before"), consumeCommitted(kafka, "frames", 10));
            assertEquals(expected("snap"), consumeCommitted(kafka, "snapshots", 10));

            int port = Integer.parseInt(kafka.bootstrapServers().split(":")[1]);
            kafka.stop();
            assertFalse(kafka.isRunning());
            kafka.start();
            System.out.printf("embedded Kafka (in-process) restarted in %d ms%n", kafka.lastStartupTime().toMillis());
            assertEquals(port, Integer.parseInt(kafka.bootstrapServers().split(":")[1]));
            assertEquals(clusterId, kafka.clusterId());

            assertEquals(expected("before"), consumeCommitted(kafka, "frames", 10));
            assertEquals(expected("snap"), consumeCommitted(kafka, "snapshots", 10));
            // the same transactional id works after the restart (its producer epoch is fenced and bumped)
            sendTransactions(kafka, "frames", "tx-a", "after");
            List<String> all = new ArrayList<>(expected("before"));
            all.addAll(expected("after"));
            assertEquals(sorted(all), sorted(consumeCommitted(kafka, "frames", 20)));
        }
        assertFalse(Files.exists(dir), "close() deletes the storage directory");
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void childProcessBrokerSurvivesKillAndRestart() throws Exception {
        Path dir;
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().childProcess(true).build()) {
            dir = kafka.storageDirectory();
            kafka.start();
            System.out.printf("embedded Kafka (child JVM) started in %d ms at %s%n",
                    kafka.lastStartupTime().toMillis(), kafka.bootstrapServers());
            kafka.createTopic("frames", 2, Map.of());
            sendTransactions(kafka, "frames", "tx-c", "one");
            assertEquals(expected("one"), consumeCommitted(kafka, "frames", 10));

            kafka.kill(); // a crash: no controlled shutdown
            assertFalse(kafka.isRunning());
            kafka.start();
            System.out.printf("embedded Kafka (child JVM) restarted after a kill in %d ms%n",
                    kafka.lastStartupTime().toMillis());
            assertEquals(expected("one"), consumeCommitted(kafka, "frames", 10));
            sendTransactions(kafka, "frames", "tx-c", "two");

            kafka.stop(); // graceful
            kafka.start();
            System.out.printf("embedded Kafka (child JVM) restarted after a stop in %d ms%n",
                    kafka.lastStartupTime().toMillis());
            List<String> all = new ArrayList<>(expected("one"));
            all.addAll(expected("two"));
            assertEquals(sorted(all), sorted(consumeCommitted(kafka, "frames", 20)));

            String log = Files.readString(kafka.childLogFile());
            assertTrue(log.contains(EmbeddedKafka.CHILD_STARTED_MARKER), log);
            assertFalse(log.contains("multiple SLF4J providers") || log.contains("multiple SLF4J bindings"), log);
            assertFalse(log.contains("StatusLogger"), log);
        }
        assertFalse(Files.exists(dir), "close() deletes the storage directory");
    }

    /** Commits one transaction of 10 records and aborts one of 5 records. */
    private static void sendTransactions(EmbeddedKafka kafka, String topic, String txId, String prefix) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, txId);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            for (String value : expected(prefix)) {
                producer.send(new ProducerRecord<>(topic, "k" + value.hashCode() % 4, value));
            }
            producer.commitTransaction();
            producer.beginTransaction();
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, prefix + "-aborted-" + i));
            }
            producer.flush();
            producer.abortTransaction();
        }
    }

    /**
     * Reads the topic from the beginning with read_committed until {@code count} records arrived
     * (then polls once more for anything unexpected), failing after {@link #WAIT}.
     */
    private static List<String> consumeCommitted(EmbeddedKafka kafka, String topic, int count) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString().toLowerCase());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            // the consumer is used from this thread only
            await(count + " committed records of " + topic).atMost(WAIT).pollInSameThread().pollInterval(Duration.ZERO)
                    .until(() -> {
                        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                            values.add(r.value());
                        }
                        return values.size() >= count;
                    });
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                values.add(r.value());
            }
        }
        assertEquals(count, values.size(), "records read with read_committed: " + values);
        return sorted(values);
    }

    private static List<String> expected(String prefix) {
        List<String> v = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            v.add(prefix + "-" + i);
        }
        return sorted(v);
    }

    private static List<String> sorted(List<String> v) {
        List<String> s = new ArrayList<>(v);
        s.sort(null);
        return s;
    }
}
