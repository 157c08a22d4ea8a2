package io.adastream.topology.config;

import java.util.List;
import java.util.Map;

/** The configuration keys of AdaStream and their defaults. */
public final class Keys {

    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    public static final String MODEL_SPEC = "model.spec";
    public static final String POLICY = "policy";
    public static final String ADAPTATION_MODE = "adaptation.mode";
    public static final String DOMAINS_MAX = "domains.max.per.task";
    public static final String DOMAINS_OVERFLOW = "domains.overflow";
    public static final String STATE_WRITE_EVERY = "state.write.every.frames";
    public static final String STATE_PRECISION = "state.precision";
    public static final String SNAPSHOT_INTERVAL_MS = "snapshot.interval.ms";
    public static final String WARM_START = "warm.start.from.snapshots";
    public static final String SHADOW_SOURCE = "shadow.source";
    public static final String INFERENCE_THREADS = "inference.threads";
    public static final String INFERENCE_BATCH_MAX = "inference.batch.max";
    /** How the adaptive graph sums squares: {@code matmul} (default) or {@code mul-sum}. */
    public static final String INFERENCE_SECOND_MOMENT = "inference.second.moment";
    public static final String INFERENCE_BATCH_WAIT_MS = "inference.batch.wait.ms";
    /** Whether stable domains are served by their baked model, every K-th frame still adaptive. */
    public static final String TWO_TIER = "inference.two.tier";
    /** The most baked sessions a task keeps open (least recently used closed first). */
    public static final String BAKED_SESSIONS_MAX = "inference.baked.sessions.max";
    /** The two-tier path's longest adaptive interval K_max. */
    public static final String TWO_TIER_K_MAX = "inference.two.tier.k.max";
    public static final String EXECUTION_PROVIDER = "execution.provider";
    public static final String CUDA_DEVICE = "cuda.device";
    public static final String IMAGE_MAX_BYTES = "image.max.bytes";
    public static final String IMAGE_MAX_PIXELS = "image.max.pixels";
    public static final String METRICS_PORT = "metrics.port";
    public static final String METRICS_DOMAIN_LABELS = "metrics.domain.labels.max";
    public static final String ADMIN_TOKEN = "admin.token";
    public static final String ADMIN_READ_OPEN = "admin.read.open";
    public static final String HTTP_BIND_ADDRESS = "http.bind.address";
    public static final String HTTP_REQUEST_TIMEOUT_MS = "http.request.timeout.ms";
    public static final String LABELS_ENABLED = "labels.enabled";
    public static final String LABELS_JOIN_WINDOW_MS = "labels.join.window.ms";
    public static final String LABELS_ACCURACY_FRAMES = "labels.accuracy.frames";

    public static final String TOPIC_FRAMES = "topic.frames";
    public static final String TOPIC_PREDICTIONS = "topic.predictions";
    public static final String TOPIC_SNAPSHOTS = "topic.snapshots";
    public static final String TOPIC_CONTROL = "topic.control";
    public static final String TOPIC_DEAD_LETTER = "topic.dead-letter";
    public static final String TOPIC_LABELS = "topic.labels";
    public static final List<String> TOPICS = List.of(TOPIC_FRAMES, TOPIC_PREDICTIONS, TOPIC_SNAPSHOTS, TOPIC_CONTROL,
            TOPIC_DEAD_LETTER, TOPIC_LABELS);

    /** Every key of AdaStream's own settings (the Kafka ones pass through, see {@link AdaStreamConfig}). */
    public static final List<String> ALL = List.of(BOOTSTRAP_SERVERS, MODEL_SPEC, POLICY, ADAPTATION_MODE, DOMAINS_MAX,
            DOMAINS_OVERFLOW, STATE_WRITE_EVERY, STATE_PRECISION, SNAPSHOT_INTERVAL_MS, WARM_START, SHADOW_SOURCE,
            INFERENCE_THREADS, INFERENCE_BATCH_MAX, INFERENCE_BATCH_WAIT_MS, INFERENCE_SECOND_MOMENT, TWO_TIER,
            BAKED_SESSIONS_MAX, TWO_TIER_K_MAX,
            EXECUTION_PROVIDER, CUDA_DEVICE, IMAGE_MAX_BYTES, IMAGE_MAX_PIXELS, METRICS_PORT,
            METRICS_DOMAIN_LABELS, ADMIN_TOKEN, ADMIN_READ_OPEN, HTTP_BIND_ADDRESS, HTTP_REQUEST_TIMEOUT_MS,
            LABELS_ENABLED, LABELS_JOIN_WINDOW_MS, LABELS_ACCURACY_FRAMES,
            TOPIC_FRAMES, TOPIC_PREDICTIONS, TOPIC_SNAPSHOTS, TOPIC_CONTROL, TOPIC_DEAD_LETTER, TOPIC_LABELS);

    private static final Map<String, String> DEFAULT_TOPICS = Map.of(
            TOPIC_FRAMES, "adastream.frames",
            TOPIC_PREDICTIONS, "adastream.predictions",
            TOPIC_SNAPSHOTS, "adastream.snapshots",
            TOPIC_CONTROL, "adastream.control",
            TOPIC_DEAD_LETTER, "adastream.dead-letter",
            TOPIC_LABELS, "adastream.labels");

    private static final Map<String, Long> DEFAULT_NUMBERS = Map.ofEntries(
            Map.entry(DOMAINS_MAX, 1000L),
            Map.entry(STATE_WRITE_EVERY, 1L),
            Map.entry(SNAPSHOT_INTERVAL_MS, 60_000L),
            Map.entry(WARM_START, 1L),
            Map.entry(SHADOW_SOURCE, 0L),
            Map.entry(INFERENCE_THREADS, 0L),
            Map.entry(INFERENCE_BATCH_MAX, 1L),
            Map.entry(INFERENCE_BATCH_WAIT_MS, 2L),
            Map.entry(TWO_TIER, 0L),
            Map.entry(BAKED_SESSIONS_MAX, 16L),
            Map.entry(TWO_TIER_K_MAX, 32L),
            Map.entry(CUDA_DEVICE, 0L),
            Map.entry(IMAGE_MAX_BYTES, 16L * 1024 * 1024),
            Map.entry(IMAGE_MAX_PIXELS, 4096L * 4096),
            Map.entry(METRICS_PORT, 9400L),
            Map.entry(METRICS_DOMAIN_LABELS, 100L),
            Map.entry(ADMIN_READ_OPEN, 0L),
            Map.entry(HTTP_REQUEST_TIMEOUT_MS, 10_000L),
            Map.entry(LABELS_ENABLED, 0L),
            Map.entry(LABELS_JOIN_WINDOW_MS, 300_000L),
            Map.entry(LABELS_ACCURACY_FRAMES, 200L));

    private Keys() {
    }

    static String defaultTopic(String key) {
        return DEFAULT_TOPICS.get(key);
    }

    static long defaultNumber(String key) {
        Long v = DEFAULT_NUMBERS.get(key);
        if (v == null) {
            throw new IllegalArgumentException("no default for " + key);
        }
        return v;
    }
}
