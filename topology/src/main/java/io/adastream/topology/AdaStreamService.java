package io.adastream.topology;

import ai.onnxruntime.OrtException;
import io.adastream.adapt.inference.AdaptationMode;
import io.adastream.adapt.onnx.ModelFormatException;
import io.adastream.adapt.session.SessionConfig;
import io.adastream.models.io.DecodeLimits;
import io.adastream.models.io.ImageDecoder;
import io.adastream.models.spec.BundledModels;
import io.adastream.models.spec.ModelSpec;
import io.adastream.models.spec.ModelSpecException;
import io.adastream.topology.config.AdaStreamConfig;
import io.adastream.topology.config.ConfigException;
import io.adastream.topology.config.Keys;
import io.adastream.topology.labels.LabelJoiner;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The AdaStream service: the model runtime and the Kafka Streams application built from one configuration. The
 * command line's {@code run} and {@code demo} and the integration tests start it the same way.
 */
public final class AdaStreamService implements AutoCloseable {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AdaStreamService.class);

    private final AdaStreamConfig config;
    private final ModelRuntime runtime;
    private final TopologyNames names;
    private final Topology topology;
    private final KafkaStreams streams;
    private final Properties streamsProperties;
    private final OutputLimits limits;
    private io.adastream.topology.ops.OpsEndpoints ops;

    private AdaStreamService(AdaStreamConfig config, ModelRuntime runtime, TopologyNames names, Topology topology,
                             KafkaStreams streams, Properties streamsProperties, OutputLimits limits) {
        this.config = config;
        this.runtime = runtime;
        this.names = names;
        this.topology = topology;
        this.streams = streams;
        this.streamsProperties = streamsProperties;
        this.limits = limits;
    }

    /**
     * Builds the service with Prometheus metrics and its HTTP port ({@code /metrics}, {@code /health/*}, the domain
     * admin API) on {@code metrics.port} at {@code http.bind.address}, started and stopped with it; {@code
     * metrics.port=0} turns both off.
     */
    public static AdaStreamService create(AdaStreamConfig config) throws ConfigException {
        int port = config.integer(Keys.METRICS_PORT, 0, 65535);
        if (port == 0) {
            return create(config, ServiceMetrics.NONE);
        }
        var metrics = io.adastream.topology.ops.PrometheusServiceMetrics.create(
                config.integer(Keys.METRICS_DOMAIN_LABELS, 0, 100_000));
        AdaStreamService service = create(config, metrics);
        var http = new io.adastream.metrics.OpsServer.Settings(config.httpBindAddress(), port,
                Duration.ofMillis(config.longValue(Keys.HTTP_REQUEST_TIMEOUT_MS, 100, 600_000)),
                config.string(Keys.ADMIN_TOKEN, ""), config.bool(Keys.ADMIN_READ_OPEN));
        service.ops = new io.adastream.topology.ops.OpsEndpoints(metrics, service.streams, service.runtime, service.names,
                config.streamsProperties(), http);
        return service;
    }

    /** Builds the service reporting to {@code metrics}, without an HTTP port; every configuration or model problem is a one-line {@link ConfigException}. */
    public static AdaStreamService create(AdaStreamConfig config, ServiceMetrics metrics) throws ConfigException {
        ModelRuntime runtime = loadModel(config);
        TopologyNames names = names(config);
        AdaptingProcessor.Settings settings = new AdaptingProcessor.Settings(
                config.integer(Keys.DOMAINS_MAX, 1, 10_000_000),
                config.domainOverflow().equals("evict"),
                config.integer(Keys.STATE_WRITE_EVERY, 1, 1_000_000),
                io.adastream.adapt.stats.StatisticsPrecision.parse(config.statePrecision()),
                Duration.ofMillis(config.longValue(Keys.SNAPSHOT_INTERVAL_MS, 100, 86_400_000L)),
                config.bool(Keys.WARM_START),
                config.bool(Keys.SHADOW_SOURCE));
        if (config.bool(Keys.TWO_TIER)) {
            settings = settings.withTwoTier(new AdaptingProcessor.TwoTier(
                    io.adastream.adapt.twotier.TierSettings.defaults().withKMax(config.integer(Keys.TWO_TIER_K_MAX, 1, 1 << 20)),
                    config.integer(Keys.BAKED_SESSIONS_MAX, 1, 10_000)));
        }
        long maxPixels = config.longValue(Keys.IMAGE_MAX_PIXELS, 1, 1L << 31);
        int side = (int) Math.min(65_535, maxPixels);
        ImageDecoder decoder = new ImageDecoder(new DecodeLimits(
                (int) config.longValue(Keys.IMAGE_MAX_BYTES, 1, Integer.MAX_VALUE), side, side, maxPixels));
        AdaStreamTopology.OnlineAccuracySetup labels = config.bool(Keys.LABELS_ENABLED)
                ? new AdaStreamTopology.OnlineAccuracySetup(config.topic(Keys.TOPIC_LABELS), new LabelJoiner.Settings(
                        Duration.ofMillis(config.longValue(Keys.LABELS_JOIN_WINDOW_MS, 1, 30L * 86_400_000L)),
                        config.integer(Keys.LABELS_ACCURACY_FRAMES, 1, 10_000)))
                : null;
        Properties props = config.streamsProperties();
        OutputLimits limits = new OutputLimits(maxRequestSize(props));
        Topology topology = AdaStreamTopology.build(runtime, names, settings, labels, decoder, metrics, limits);
        props.putIfAbsent(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterExceptionHandler.class.getName());
        props.putIfAbsent(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterExceptionHandler.class.getName());
        props.putIfAbsent(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, names.deadLetterTopic());
        props.putIfAbsent(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, OutputExceptionHandler.class.getName());
        props.put(DeadLetterExceptionHandler.COUNTER_CONFIG, (java.util.function.Consumer<DeadLetterReason>) metrics::deadLetter);
        props.put(OutputExceptionHandler.LIMITS_CONFIG, limits);
        KafkaStreams streams = new KafkaStreams(topology, props);
        streams.setUncaughtExceptionHandler(new ReplaceThreadPolicy());
        return new AdaStreamService(config, runtime, names, topology, streams, props, limits);
    }

    /** The producer's {@code max.request.size} in the Streams properties (plain or {@code producer.}-prefixed). */
    static int maxRequestSize(Properties props) throws ConfigException {
        Object value = props.getOrDefault("producer.max.request.size",
                props.getOrDefault("max.request.size", OutputLimits.DEFAULT_MAX_REQUEST_SIZE));
        try {
            int size = Integer.parseInt(value.toString().trim());
            if (size <= 0) {
                throw new NumberFormatException();
            }
            return size;
        } catch (NumberFormatException e) {
            throw new ConfigException("max.request.size must be a positive number of bytes, got '" + value + "'");
        }
    }

    public static TopologyNames names(AdaStreamConfig config) {
        return new TopologyNames(config.topic(Keys.TOPIC_FRAMES), config.topic(Keys.TOPIC_CONTROL),
                config.topic(Keys.TOPIC_PREDICTIONS), config.topic(Keys.TOPIC_SNAPSHOTS), config.topic(Keys.TOPIC_DEAD_LETTER));
    }

    /** The model named by {@code model.spec}: a spec file, or {@code bundled:segmenter} / {@code bundled:detector}. */
    static ModelRuntime loadModel(AdaStreamConfig config) throws ConfigException {
        String ref = config.modelSpec();
        ModelSpec spec;
        byte[] onnx;
        try {
            if (ref.startsWith("bundled:")) {
                String name = ref.substring("bundled:".length());
                if (!BundledModels.available(name)) {
                    throw new ConfigException(Keys.MODEL_SPEC + ": no bundled model '" + name + "' in this build");
                }
                spec = BundledModels.spec(name);
                onnx = BundledModels.onnx(name);
            } else {
                Path specFile = Path.of(ref);
                spec = ModelSpec.load(specFile);
                onnx = Files.readAllBytes(spec.modelPath(specFile));
            }
        } catch (ModelSpecException e) {
            throw new ConfigException(Keys.MODEL_SPEC + ": " + e.getMessage());
        } catch (IOException e) {
            throw new ConfigException(Keys.MODEL_SPEC + ": cannot read the model: " + e.getMessage());
        }
        SessionConfig session = config.string(Keys.EXECUTION_PROVIDER, "cpu").equals("cuda")
                ? SessionConfig.cuda(config.integer(Keys.CUDA_DEVICE, 0, 64))
                : SessionConfig.cpu();
        session = session.withIntraOpThreads(config.integer(Keys.INFERENCE_THREADS, 0, 256))
                .withSecondMoment(config.secondMoment());
        try {
            return new ModelRuntime(spec, onnx, session, config.policy(), config.policyParameters(),
                    config.adaptationMode().equals("fused") ? AdaptationMode.FUSED : AdaptationMode.TWO_PASS,
                    new ModelRuntime.Batching(config.integer(Keys.INFERENCE_BATCH_MAX, 1, 256),
                            java.time.Duration.ofMillis(config.integer(Keys.INFERENCE_BATCH_WAIT_MS, 0, 10_000))));
        } catch (ModelFormatException e) {
            throw new ConfigException(Keys.MODEL_SPEC + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(Keys.POLICY + ": " + e.getMessage());
        } catch (OrtException e) {
            throw new ConfigException("ONNX Runtime cannot load the model: " + e.getMessage());
        }
    }

    /**
     * Reads the output topics' {@code max.message.bytes} into the size limits, then starts the HTTP port (if any;
     * an unusable port is an {@link java.io.UncheckedIOException}) and the streams app.
     */
    public void start() {
        readTopicLimits();
        if (ops != null) {
            ops.start();
        }
        streams.start();
    }

    /** Lowers the output limits to each existing output topic's {@code max.message.bytes}; a topic not read is logged. */
    private void readTopicLimits() {
        List<String> topics = List.of(names.predictionsTopic(), names.snapshotsTopic(), names.deadLetterTopic());
        try (Admin admin = Admin.create(new StreamsConfig(streamsProperties).getAdminConfigs("adastream-output-limits"))) {
            var described = admin.describeConfigs(topics.stream()
                    .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList()).values();
            for (var entry : described.entrySet()) {
                String topic = entry.getKey().name();
                try {
                    ConfigEntry maxBytes = entry.getValue().get(10, TimeUnit.SECONDS).get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
                    if (maxBytes != null && maxBytes.value() != null) {
                        limits.topicLimit(topic, Integer.parseInt(maxBytes.value()));
                    }
                } catch (ExecutionException | TimeoutException | NumberFormatException e) {
                    Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
                    LOG.warn("max.message.bytes of {} not read ({}); its limit is {} bytes until a refusal lowers it",
                            topic, cause.getClass().getSimpleName(), limits.limit(topic));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("the output topics' max.message.bytes not read ({}); the limits are learnt from refusals", e.toString());
        }
    }

    /** The largest record (in {@link RecordSizes} bytes) the service writes to {@code topic}. */
    public int outputLimit(String topic) {
        return limits.limit(topic);
    }

    /** The bound HTTP port of {@code /metrics} and the admin API, or -1 when there is none (or before {@link #start}). */
    public int httpPort() {
        return ops == null ? -1 : ops.port();
    }

    public KafkaStreams streams() {
        return streams;
    }

    public ModelRuntime runtime() {
        return runtime;
    }

    public TopologyNames names() {
        return names;
    }

    public Topology topology() {
        return topology;
    }

    public AdaStreamConfig config() {
        return config;
    }

    @Override
    public void close() {
        streams.close(Duration.ofSeconds(30));
        if (ops != null) {
            ops.close();
        }
        try {
            runtime.close();
        } catch (OrtException e) {
            // closing a session cannot be retried; nothing useful to do
        }
    }
}
