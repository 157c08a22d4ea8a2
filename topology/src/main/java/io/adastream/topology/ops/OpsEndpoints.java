package io.adastream.topology.ops;

import io.adastream.metrics.DirectoryUnavailableException;
import io.adastream.metrics.OpsServer;
import io.adastream.topology.ModelRuntime;
import io.adastream.topology.TopologyNames;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The service's HTTP port: Prometheus metrics (the service's, the JVM's and the Kafka Streams client's), health
 * and the domain admin API, started with the service and closed with it. Admin resets are produced to the control
 * topic (idempotent producer, acks=all) so they reach the domain's task through Kafka like any control command.
 */
public final class OpsEndpoints implements AutoCloseable {

    private final PrometheusServiceMetrics metrics;
    private final KafkaStreams streams;
    private final ModelRuntime runtime;
    private final TopologyNames names;
    private final Properties clientProperties;
    private final OpsServer.Settings http;
    private OpsServer server;
    private KafkaProducer<String, byte[]> producer;

    public OpsEndpoints(PrometheusServiceMetrics metrics, KafkaStreams streams, ModelRuntime runtime, TopologyNames names,
                        Properties streamsProperties, OpsServer.Settings http) {
        this.metrics = metrics;
        this.streams = streams;
        this.runtime = runtime;
        this.names = names;
        this.clientProperties = streamsProperties;
        this.http = http;
        metrics.registry().register(new KafkaClientMetricsCollector(streams::metrics));
        metrics.metrics().withBatchSizes(runtime::batchSizeCounts);
    }

    /** Binds the port and serves; an unusable port is an {@link UncheckedIOException} naming it. */
    public synchronized void start() {
        if (server != null) {
            return;
        }
        StreamsDomainDirectory directory = new StreamsDomainDirectory(streams, runtime, applicationServer(),
                new RemoteInstances(Duration.ofSeconds(10), http.adminToken()), this::sendControl);
        try {
            server = OpsServer.start(http, metrics.registry(), () -> streams.state().name(), directory);
        } catch (IOException e) {
            throw new UncheckedIOException("metrics.port " + http.port() + " on http.bind.address " + http.bindAddress()
                    + " cannot be bound: " + e.getMessage(), e);
        }
    }

    /** The bound port (useful when configured as an ephemeral one in tests), or -1 before {@link #start}. */
    public synchronized int port() {
        return server == null ? -1 : server.port();
    }

    private HostInfo applicationServer() {
        String value = clientProperties.getProperty(StreamsConfig.APPLICATION_SERVER_CONFIG, "");
        return value.isBlank() ? null : HostInfo.buildFromEndpoint(value);
    }

    private void sendControl(String domain, String json) throws DirectoryUnavailableException {
        try {
            producer().send(new ProducerRecord<>(names.controlTopic(), domain, json.getBytes(StandardCharsets.UTF_8)))
                    .get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new DirectoryUnavailableException("the control command could not be written: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DirectoryUnavailableException("interrupted while writing the control command");
        }
    }

    private synchronized KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            Properties p = new Properties();
            clientProperties.forEach((k, v) -> {
                String key = k.toString();
                if (ProducerConfig.configNames().contains(key) && !key.startsWith("transactional")) {
                    p.put(key, v);
                }
            });
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            p.put(ProducerConfig.CLIENT_ID_CONFIG, clientProperties.getProperty("application.id", "adastream") + "-admin");
            producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.close();
            server = null;
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }
}
