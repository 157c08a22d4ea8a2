package io.adastream.it;

import io.adastream.adapt.stats.SourceStatistics;
import io.adastream.adapt.testing.TinySegmenter;
import io.adastream.embedded.EmbeddedKafka;
import org.apache.kafka.clients.admin.NewTopic;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * One test's world: a real single-node KRaft broker in a child JVM (so it can be stopped and started on its
 * directory), the tiny model on disk, service configuration files, and the service processes it started.
 */
final class Harness implements AutoCloseable {

    /**
     * Batching on, as the crash-and-restart and two-instance tests run the service: two stream threads whose frames
     * share batches of up to 8 in the instance's inference executor.
     */
    static final Map<String, String> BATCHING = Map.of("streams.num.stream.threads", "2", "inference.batch.max", "8",
            "inference.batch.wait.ms", "5");

    /** The line a service logs at a clean stop with its batches by frames per batch, or "" (see ModelRuntime). */
    static String batchesLine(String log) {
        return log.lines().filter(l -> l.contains("inference: batches run by frames per batch"))
                .map(l -> l.substring(l.indexOf("frames per batch") + "frames per batch ".length())).reduce((a, b) -> b).orElse("");
    }

    static final String FRAMES = "adastream.frames";
    static final String PREDICTIONS = "adastream.predictions";
    static final String SNAPSHOTS = "adastream.snapshots";
    static final String CONTROL = "adastream.control";
    static final String DEAD_LETTER = "adastream.dead-letter";
    static final String LABELS = "adastream.labels";

    final Path dir;
    final EmbeddedKafka kafka;
    final Path modelSpec;
    final SourceStatistics source;
    private final List<AutoCloseable> owned = new ArrayList<>();

    private Harness(Path dir, EmbeddedKafka kafka, Path modelSpec, SourceStatistics source) {
        this.dir = dir;
        this.kafka = kafka;
        this.modelSpec = modelSpec;
        this.source = source;
    }

    static Harness start(String name) throws Exception {
        Path dir = Files.createTempDirectory("adastream-it-" + name + "-");
        EmbeddedKafka kafka = EmbeddedKafka.builder()
                .storageDirectory(dir.resolve("kafka"), true)
                .childProcess(true)
                .childJvmOptions(List.of("-Xms64m", "-Xmx512m", "-XX:+UseSerialGC"))
                .build()
                .start();
        System.out.printf("    broker (child JVM) at %s started in %.1f s%n", kafka.bootstrapServers(),
                kafka.lastStartupTime().toMillis() / 1000.0);
        return new Harness(dir, kafka, TinySegmenter.SERVICE.writeTo(dir.resolve("model")),
                TinySegmenter.SERVICE.sourceStatistics());
    }

    String bootstrap() {
        return kafka.bootstrapServers();
    }

    /** The service's topics (frames and control co-partitioned), with a prefix for a second set of names. */
    void createTopics(String prefix, int partitions) {
        List<NewTopic> topics = new ArrayList<>();
        for (String t : List.of(FRAMES, PREDICTIONS, CONTROL, DEAD_LETTER, LABELS)) {
            topics.add(new NewTopic(prefix + t, partitions, (short) 1));
        }
        topics.add(new NewTopic(prefix + SNAPSHOTS, partitions, (short) 1).configs(Map.of("cleanup.policy", "compact")));
        kafka.createTopics(topics);
    }

    /** A configuration file for one service instance; overrides win over the suite's defaults. */
    Path config(String instance, String applicationId, Map<String, String> overrides) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("bootstrap.servers", bootstrap());
        c.put("application.id", applicationId);
        c.put("client.id", instance);
        c.put("state.dir", dir.resolve("state-" + instance).toString());
        c.put("model.spec", modelSpec.toString());
        c.put("inference.threads", "1");
        c.put("state.write.every.frames", "1");
        c.put("snapshot.interval.ms", "1000");
        // several instances run on this machine: no HTTP port (metrics.port defaults to 9400)
        c.put("metrics.port", "0");
        // a killed member is noticed after 6 s (the broker's minimum), not the default 45 s
        c.put("kafka.session.timeout.ms", "6000");
        c.put("kafka.heartbeat.interval.ms", "1500");
        c.putAll(overrides);
        Properties p = new Properties();
        p.putAll(c);
        Path file = dir.resolve(instance + ".properties");
        try (Writer w = Files.newBufferedWriter(file)) {
            p.store(w, "adastream reliability suite: " + instance);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    ServiceProcess service(String instance, Path config) {
        ServiceProcess s = new ServiceProcess(instance, config, dir.resolve("logs"), "512m");
        owned.add(s);
        return s;
    }

    <T extends AutoCloseable> T own(T resource) {
        owned.add(resource);
        return resource;
    }

    /** The changelog topic of the domain-state store of an application. */
    static String changelog(String applicationId) {
        return applicationId + "-domain-state-changelog";
    }

    void awaitCaughtUp(String applicationId, String framesTopic, Duration timeout) throws Exception {
        KafkaIO.awaitCaughtUp(bootstrap(), applicationId, framesTopic, timeout);
    }

    @Override
    public void close() throws Exception {
        for (int i = owned.size() - 1; i >= 0; i--) {
            try {
                owned.get(i).close();
            } catch (Exception e) {
                System.out.println("    (closing: " + e + ")");
            }
        }
        boolean keep = Boolean.getBoolean("reliability.keep");
        kafka.close();
        if (!keep) {
            try {
                EmbeddedKafka.deleteRecursively(dir);
            } catch (UncheckedIOException e) {
                System.out.println("    (cannot delete " + dir + ": " + e.getCause() + ")");
            }
        } else {
            System.out.println("    kept " + dir);
        }
    }
}
