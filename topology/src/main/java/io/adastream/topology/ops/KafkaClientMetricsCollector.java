package io.adastream.topology.ops;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.PrometheusNaming;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Exports the Kafka Streams client metrics ({@code KafkaStreams#metrics()}: the Streams client, threads, tasks,
 * stores, and its consumers and producers) on each scrape, as {@code kafka_stream_<group>_<name>} with the Kafka
 * tags as labels. The group loses its {@code -metrics} suffix and a leading {@code stream-} ({@code
 * stream-thread-metrics} is {@code thread}, {@code stream-metrics} is {@code client}); {@code -total} metrics are
 * counters, the rest gauges (a gauge ending in {@code _count}, {@code _sum} or {@code _bucket} gets a {@code _value}
 * suffix); {@code ms}/{@code us}/{@code ns} in a name become seconds. Non-numeric and
 * non-finite values are skipped.
 */
public final class KafkaClientMetricsCollector implements MultiCollector {

    static final String PREFIX = "kafka_stream_";
    private static final java.util.regex.Pattern SUFFIXES_OF_OTHER_TYPES = java.util.regex.Pattern.compile("_(count|sum|bucket)$");

    private final Supplier<Map<MetricName, ? extends Metric>> metrics;

    public KafkaClientMetricsCollector(Supplier<Map<MetricName, ? extends Metric>> metrics) {
        this.metrics = metrics;
    }

    @Override
    public MetricSnapshots collect() {
        Map<String, Family> families = new TreeMap<>();
        Map<MetricName, ? extends Metric> current;
        try {
            current = metrics.get();
        } catch (RuntimeException e) {
            return MetricSnapshots.of();
        }
        for (Map.Entry<MetricName, ? extends Metric> e : current.entrySet()) {
            Object raw;
            try {
                raw = e.getValue().metricValue();
            } catch (RuntimeException ex) {
                continue;
            }
            if (!(raw instanceof Number number)) {
                continue;
            }
            Exported x = export(e.getKey(), number.doubleValue());
            if (x == null) {
                continue;
            }
            Family f = families.computeIfAbsent(x.name, n -> new Family(x.counter, e.getKey().description()));
            if (f.counter != x.counter) {
                continue; // a gauge and a counter would share a name: keep the first
            }
            if (f.seen.add(x.labels)) {
                f.points.put(x.labels, x.value);
            }
        }
        List<MetricSnapshot> out = new ArrayList<>();
        families.forEach((name, f) -> out.add(f.snapshot(name)));
        return new MetricSnapshots(out);
    }

    /** The exported name, labels and value of one Kafka metric; null when it cannot be exported. */
    static Exported export(MetricName metric, double value) {
        if (!Double.isFinite(value)) {
            return null;
        }
        List<String> parts = new ArrayList<>(List.of(metric.name().toLowerCase(Locale.ROOT).split("[^a-z0-9]+")));
        parts.removeIf(String::isEmpty);
        if (parts.isEmpty()) {
            return null;
        }
        boolean counter = parts.get(parts.size() - 1).equals("total") && value >= 0;
        if (counter) {
            parts.remove(parts.size() - 1);
        }
        for (int i = 0; i < parts.size(); i++) {
            double scale = switch (parts.get(i)) {
                case "ms" -> 1e-3;
                case "us" -> 1e-6;
                case "ns" -> 1e-9;
                default -> 0;
            };
            if (scale != 0) {
                parts.set(i, "seconds");
                value *= scale;
                break;
            }
        }
        String name = PREFIX + group(metric.group()) + (parts.isEmpty() ? "" : "_" + String.join("_", parts));
        if (!counter && SUFFIXES_OF_OTHER_TYPES.matcher(name).find()) {
            name = name + "_value"; // a gauge named like a histogram or summary series confuses Prometheus' tools
        }
        if (!PrometheusNaming.isValidLegacyMetricName(name) || !PrometheusNaming.isValidMetricName(name)) {
            name = name + "_value";
            if (!PrometheusNaming.isValidMetricName(name)) {
                return null;
            }
        }
        Map<String, String> tags = new TreeMap<>();
        metric.tags().forEach((k, v) -> tags.put(PrometheusNaming.sanitizeLabelName(k.replace('-', '_').replace('.', '_')), v == null ? "" : v));
        try {
            Labels labels = Labels.of(new ArrayList<>(tags.keySet()), new ArrayList<>(tags.values()));
            return new Exported(name, counter, labels, value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static String group(String group) {
        String g = group.toLowerCase(Locale.ROOT);
        if (g.equals("stream-metrics")) {
            return "client";
        }
        if (g.endsWith("-metrics")) {
            g = g.substring(0, g.length() - "-metrics".length());
        }
        if (g.startsWith("stream-")) {
            g = g.substring("stream-".length());
        }
        String s = g.replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
        return s.isEmpty() ? "other" : s;
    }

    record Exported(String name, boolean counter, Labels labels, double value) {
    }

    private static final class Family {
        final boolean counter;
        final String help;
        final Set<Labels> seen = new HashSet<>();
        final Map<Labels, Double> points = new LinkedHashMap<>();

        Family(boolean counter, String help) {
            this.counter = counter;
            this.help = help == null || help.isBlank() ? "Kafka Streams client metric" : help;
        }

        MetricSnapshot snapshot(String name) {
            if (counter) {
                CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
                points.forEach((labels, v) -> b.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                        .labels(labels).value(v).build()));
                return b.build();
            }
            GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
            points.forEach((labels, v) -> b.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                    .labels(labels).value(v).build()));
            return b.build();
        }
    }
}
