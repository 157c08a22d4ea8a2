package io.adastream.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The Prometheus metrics of an AdaStream instance, registered on one registry. Per-domain series are capped by
 * {@link DomainLabels}; the gauges of the aggregated {@code _other} domains show the latest value reported by any
 * of them. Names follow the Prometheus conventions: {@code adastream_} prefix, base units, {@code _total} counters.
 */
public final class AdaStreamMetrics {

    public static final String FRAMES = "adastream_frames";
    public static final String DECODE_SECONDS = "adastream_decode_duration_seconds";
    public static final String PREPROCESS_SECONDS = "adastream_preprocess_duration_seconds";
    public static final String INFERENCE_SECONDS = "adastream_inference_duration_seconds";
    public static final String ADAPTATION_SECONDS = "adastream_adaptation_duration_seconds";
    public static final String SHIFT_SCORE = "adastream_domain_shift_score";
    public static final String MOMENTUM = "adastream_domain_momentum";
    public static final String DOMAIN_FRAMES = "adastream_domain_frames";
    public static final String SEGMENTS = "adastream_domain_segments";
    public static final String SNAPSHOTS = "adastream_snapshots_written";
    public static final String SNAPSHOT_BYTES = "adastream_snapshot_written_bytes";
    public static final String DEAD_LETTERS = "adastream_dead_letters";
    public static final String LIVE_DOMAINS = "adastream_live_domains";
    public static final String STATE_BYTES = "adastream_state_written_bytes";
    public static final String EVICTIONS = "adastream_domains_evicted";
    public static final String ACCURACY = "adastream_domain_accuracy";
    public static final String LABELED_FRAMES = "adastream_labeled_frames";
    public static final String INFERENCE_BATCHES = "adastream_inference_batches";

    /** Latency buckets (seconds): 0.5 ms to 10 s, for decoding, pre-processing, inference and adaptation. */
    static final double[] LATENCY_BUCKETS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    private final PrometheusRegistry registry;
    private final DomainLabels labels;
    private final Counter frames;
    private final Histogram decode;
    private final Histogram preprocess;
    private final Histogram inference;
    private final Histogram adaptation;
    private final Gauge shift;
    private final Gauge momentum;
    private final Gauge domainFrames;
    private final Gauge segments;
    private final Gauge accuracy;
    private final Counter labeledFrames;
    private final Counter snapshots;
    private final Counter snapshotBytes;
    private final Counter deadLetters;
    private final Counter stateBytes;
    private final Counter evictions;
    private final Gauge live;
    private final Map<String, Integer> liveByTask = new ConcurrentHashMap<>();

    /** Registers the metrics on {@code registry}, with at most {@code domainLabelsMax} per-domain label values. */
    public AdaStreamMetrics(PrometheusRegistry registry, int domainLabelsMax) {
        this.registry = registry;
        this.labels = new DomainLabels(domainLabelsMax);
        frames = Counter.builder().name(FRAMES)
                .help("Frames predicted, by domain and adaptation outcome (folded, held, shift-confirmed, ...)")
                .labelNames("domain", "outcome").register(registry);
        decode = latency(DECODE_SECONDS, "Time to decode a frame's image");
        preprocess = latency(PREPROCESS_SECONDS, "Time to pre-process a frame into the model's input tensor");
        inference = latency(INFERENCE_SECONDS, "Time of the model's forward pass(es) and post-processing per frame");
        adaptation = latency(ADAPTATION_SECONDS, "Time to fold a frame's moments into its domain's statistics");
        shift = Gauge.builder().name(SHIFT_SCORE).help("The domain's latest shift score (distance of a frame's moments from the domain's statistics)")
                .labelNames("domain").register(registry);
        momentum = Gauge.builder().name(MOMENTUM).help("The blend/fold weight the domain's policy used for its latest frame (0..1)")
                .labelNames("domain").register(registry);
        domainFrames = Gauge.builder().name(DOMAIN_FRAMES).help("Frames folded into the domain's current statistics (drops on reset)")
                .labelNames("domain").register(registry);
        segments = Gauge.builder().name(SEGMENTS).help("Segments of the domain's stream (balanced policy; 0 otherwise)")
                .labelNames("domain").register(registry);
        accuracy = Gauge.builder().name(ACCURACY).help("Online accuracy per domain over its last labeled frames (labels topic): "
                        + "mIoU or mAP@0.5, 0..1, of the adapted (model=adapted) and the shadow source model (model=source)")
                .labelNames("domain", "model", "measure").register(registry);
        labeledFrames = Counter.builder().name(LABELED_FRAMES).help("Predictions joined with their ground truth from the labels topic")
                .labelNames("domain").register(registry);
        snapshots = Counter.builder().name(SNAPSHOTS).help("Domain snapshots written to the snapshots topic").register(registry);
        snapshotBytes = Counter.builder().name(SNAPSHOT_BYTES).help("Bytes of domain snapshots written to the snapshots topic")
                .unit(Unit.BYTES).register(registry);
        deadLetters = Counter.builder().name(DEAD_LETTERS).help("Records sent to the dead-letter topic, by reason")
                .labelNames("reason").register(registry);
        stateBytes = Counter.builder().name(STATE_BYTES).help("Bytes written to the domain-state store (and its changelog)")
                .unit(Unit.BYTES).register(registry);
        evictions = Counter.builder().name(EVICTIONS).help("Domains evicted to stay under the live-domain cap").register(registry);
        live = Gauge.builder().name(LIVE_DOMAINS).help("Live domains held by this instance's tasks").register(registry);
    }

    /**
     * Also registers the batches the instance's inference executor has run, by frames per batch ({@code size}
     * label), read at scrape time from {@code counts} (element k: batches of k frames; empty without batching).
     */
    public AdaStreamMetrics withBatchSizes(Supplier<long[]> counts) {
        CounterWithCallback.builder().name(INFERENCE_BATCHES)
                .help("Batches run by the inference executor, by frames per batch (inference.batch.max > 1)")
                .labelNames("size")
                .callback(callback -> {
                    long[] c = counts.get();
                    for (int k = 1; k < c.length; k++) {
                        if (c[k] > 0) {
                            callback.call(c[k], Integer.toString(k));
                        }
                    }
                })
                .register(registry);
        return this;
    }

    /** Also registers the JVM metrics (memory, GC, threads, class loading, process) on the registry. */
    public AdaStreamMetrics withJvmMetrics() {
        JvmMetrics.builder().register(registry);
        return this;
    }

    private Histogram latency(String name, String help) {
        return Histogram.builder().name(name).help(help).unit(Unit.SECONDS).classicOnly()
                .classicUpperBounds(LATENCY_BUCKETS).register(registry);
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    public DomainLabels domainLabels() {
        return labels;
    }

    /** A predicted frame: its domain, the adaptation outcome (lower-case, e.g. {@code folded}) and its timings. */
    public void frame(String domain, String outcome, double decodeSeconds, double preprocessSeconds, double inferenceSeconds) {
        frames.labelValues(labels.of(domain), outcome).inc();
        if (decodeSeconds > 0) {
            decode.observe(decodeSeconds);
        }
        preprocess.observe(preprocessSeconds);
        inference.observe(inferenceSeconds);
    }

    /** The time spent folding one frame's moments into its domain's statistics. */
    public void adaptation(double seconds) {
        adaptation.observe(seconds);
    }

    /** The domain's adaptation state after a frame. */
    public void domainState(String domain, double shiftScore, double momentumWeight, long frameCount, int segmentCount) {
        String d = labels.of(domain);
        if (Double.isFinite(shiftScore)) {
            shift.labelValues(d).set(shiftScore);
        }
        if (Double.isFinite(momentumWeight)) {
            momentum.labelValues(d).set(momentumWeight);
        }
        domainFrames.labelValues(d).set(frameCount);
        segments.labelValues(d).set(segmentCount);
    }

    /** Online accuracy of a domain; {@code model} is {@code adapted} or {@code source}, {@code measure} e.g. {@code miou}. */
    public void accuracy(String domain, String model, String measure, double value) {
        if (Double.isFinite(value)) {
            accuracy.labelValues(labels.of(domain), model, measure).set(value);
        }
    }

    /** A prediction of the domain was joined with its ground truth. */
    public void labeledFrame(String domain) {
        labeledFrames.labelValues(labels.of(domain)).inc();
    }

    public void deadLetter(String reason) {
        deadLetters.labelValues(reason).inc();
    }

    public void snapshotWritten(int bytes) {
        snapshots.inc();
        snapshotBytes.inc(bytes);
    }

    public void stateWritten(int bytes) {
        stateBytes.inc(bytes);
    }

    /** A domain was evicted to stay under the live-domain cap: counted, and it leaves (see {@link #domainLeft}). */
    public void domainEvicted(String domain) {
        evictions.inc();
        domainLeft(domain);
    }

    /**
     * A domain left this instance (evicted, or its partition moved away): its own series are removed and its label
     * value freed for another domain; the aggregated {@code _other} series stay.
     */
    public void domainLeft(String domain) {
        if (labels.release(domain)) {
            shift.remove(domain);
            momentum.remove(domain);
            domainFrames.remove(domain);
            segments.remove(domain);
            frames.removeIf(values -> values.get(0).equals(domain));
            accuracy.removeIf(values -> values.get(0).equals(domain));
            labeledFrames.remove(domain);
        }
    }

    /** The live-domain count of one task; the exported gauge is the sum over the instance's tasks. */
    public void liveDomains(String task, int count) {
        liveByTask.put(task, count);
        live.set(liveByTask.values().stream().mapToInt(Integer::intValue).sum());
    }
}
