package io.adastream.topology.ops;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KafkaClientMetricsCollectorTest {

    @Test
    void kafkaMetricsBecomePrometheusCountersAndGauges() throws Exception {
        try (Metrics kafka = new Metrics()) {
            Map<String, String> thread = Map.of("thread-id", "app-StreamThread-1");
            Sensor process = kafka.sensor("process");
            process.add(kafka.metricName("process-total", "stream-thread-metrics", "records processed", thread), new CumulativeSum());
            process.record(3);
            process.record(4);
            kafka.addMetric(kafka.metricName("commit-latency-avg", "stream-thread-metrics", "", thread),
                    (Gauge<Double>) (c, now) -> 12.5);
            kafka.addMetric(kafka.metricName("start-time-ms", "app-info", "", Map.of("client-id", "c1")),
                    (Gauge<Long>) (c, now) -> 2500L);
            kafka.addMetric(kafka.metricName("connection-count", "consumer-metrics", "", Map.of("client-id", "c1")),
                    (Gauge<Integer>) (c, now) -> 2);
            kafka.addMetric(kafka.metricName("alive-stream-threads", "stream-metrics", "", Map.of("client-id", "c1")),
                    (Gauge<Integer>) (c, now) -> 1);
            kafka.addMetric(kafka.metricName("version", "app-info", "", Map.of("client-id", "c1")),
                    (Gauge<String>) (c, now) -> "4.1.1");
            kafka.addMetric(kafka.metricName("records-lag-max", "consumer-fetch-manager-metrics", "", Map.of("client-id", "c1")),
                    (Gauge<Double>) (c, now) -> Double.NaN);

            PrometheusRegistry registry = new PrometheusRegistry();
            registry.register(new KafkaClientMetricsCollector(kafka::metrics));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            PrometheusTextFormatWriter.create().write(out, registry.scrape());
            String text = out.toString(StandardCharsets.UTF_8);

            assertTrue(text.contains("# TYPE kafka_stream_thread_process_total counter"), text);
            assertTrue(text.contains("kafka_stream_thread_process_total{thread_id=\"app-StreamThread-1\"} 7.0"), text);
            assertTrue(text.contains("kafka_stream_thread_commit_latency_avg{thread_id=\"app-StreamThread-1\"} 12.5"), text);
            assertTrue(text.contains("kafka_stream_app_info_start_time_seconds{client_id=\"c1\"} 2.5"), text);
            assertTrue(text.contains("kafka_stream_consumer_connection_count_value{client_id=\"c1\"} 2.0"), text);
            assertTrue(text.contains("kafka_stream_client_alive_stream_threads{client_id=\"c1\"} 1.0"), text);
            assertFalse(text.contains("version"), "non-numeric metrics are skipped: " + text);
            assertFalse(text.contains("records_lag_max"), "non-finite values are skipped: " + text);
        }
    }

    @Test
    void aFailingSourceGivesNoMetricsRatherThanAFailedScrape() {
        KafkaClientMetricsCollector c = new KafkaClientMetricsCollector(() -> {
            throw new IllegalStateException("closed");
        });
        assertTrue(c.collect().size() == 0);
    }
}
