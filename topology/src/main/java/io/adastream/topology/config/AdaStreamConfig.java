package io.adastream.topology.config;

import io.adastream.adapt.onnx.AdaptiveGraphRewriter;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * The service configuration: a properties file, overridden by {@code ADASTREAM_*} environment variables, read
 * into typed settings. Kafka client and Streams settings pass through in the Kafka convention: the names Kafka's
 * Streams, consumer, producer and admin configurations define ({@code bootstrap.servers}, {@code security.protocol},
 * {@code sasl.*}, {@code ssl.*}, ...) as they are, anything else with a {@code kafka.} or {@code streams.} prefix.
 * Any other key is refused, with the closest known key as a suggestion ({@link KnownKeys}).
 */
public final class AdaStreamConfig {

    /** Environment variables with this prefix override keys: {@code _} is '.', {@code __} is '_', {@code ___} is '-'. */
    public static final String ENV_PREFIX = "ADASTREAM_";

    private static final Set<String> KAFKA_KEYS = Set.of("bootstrap.servers", "application.id", "client.id",
            "security.protocol", "processing.guarantee", "num.stream.threads", "replication.factor",
            "num.standby.replicas", "commit.interval.ms", "state.dir");
    private static final Set<String> KAFKA_PREFIXES = Set.of("sasl.", "ssl.");

    private final Map<String, String> values;
    private final List<String> warnings;

    private AdaStreamConfig(Map<String, String> values, List<String> warnings) {
        this.values = values;
        this.warnings = List.copyOf(warnings);
    }

    /** Reads a properties file and applies environment overrides. */
    public static AdaStreamConfig load(Path file, Map<String, String> env) throws ConfigException {
        return resolve(file, env, Map.of());
    }

    /**
     * Settings from three layers, each overriding the one before: the properties file (none when {@code file} is
     * null), the {@code ADASTREAM_*} environment variables, then explicit {@code overrides} (the command line's
     * {@code --set key=value}).
     */
    public static AdaStreamConfig resolve(Path file, Map<String, String> env, Map<String, String> overrides)
            throws ConfigException {
        Map<String, String> values = new TreeMap<>();
        if (file != null) {
            values.putAll(readProperties(file));
        }
        List<String> warnings = new ArrayList<>();
        new TreeMap<>(env).forEach((name, value) -> {
            if (name.startsWith(ENV_PREFIX) && name.length() > ENV_PREFIX.length()) {
                String key = envToKey(name.substring(ENV_PREFIX.length()));
                if (KnownKeys.known(key)) {
                    values.put(key, value);
                } else {
                    warnings.add("ignoring " + name + ": " + KnownKeys.unknown(key, ""));
                }
            }
        });
        overrides.forEach((k, v) -> values.put(k.trim(), v.trim()));
        return of(values, warnings);
    }

    private static Map<String, String> readProperties(Path file) throws ConfigException {
        Properties props = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            props.load(in);
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file " + file + " does not exist");
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
        }
        Map<String, String> values = new TreeMap<>();
        for (String key : props.stringPropertyNames()) {
            if (!KnownKeys.known(key)) {
                throw new ConfigException(KnownKeys.unknown(key, " in " + file));
            }
            values.put(key, props.getProperty(key).trim());
        }
        return values;
    }

    /** Settings from a map (already merged); refuses unknown keys and validates every typed setting. */
    public static AdaStreamConfig of(Map<String, String> values) throws ConfigException {
        return of(values, List.of());
    }

    private static AdaStreamConfig of(Map<String, String> values, List<String> warnings) throws ConfigException {
        for (String key : new TreeMap<>(values).keySet()) {
            if (!KnownKeys.known(key)) {
                throw new ConfigException(KnownKeys.unknown(key, ""));
            }
        }
        AdaStreamConfig config = new AdaStreamConfig(new TreeMap<>(values), warnings);
        config.validate();
        return config;
    }

    /**
     * What was ignored, one line each: {@code ADASTREAM_*} environment variables that name no setting (the
     * environment may hold variables of other tools with the prefix, so they warn; unknown keys in the file or map
     * are refused).
     */
    public List<String> warnings() {
        return warnings;
    }

    /** The keys that {@code ADASTREAM_*} variables set. */
    static Map<String, String> fromEnvironment(Map<String, String> env) {
        Map<String, String> out = new HashMap<>();
        env.forEach((name, value) -> {
            if (name.startsWith(ENV_PREFIX) && name.length() > ENV_PREFIX.length()) {
                out.put(envToKey(name.substring(ENV_PREFIX.length())), value);
            }
        });
        return out;
    }

    static String envToKey(String env) {
        return env.toLowerCase(Locale.ROOT)
                .replace("___", "\u0001")
                .replace("__", "\u0002")
                .replace('_', '.')
                .replace('\u0001', '-')
                .replace('\u0002', '_');
    }

    private void validate() throws ConfigException {
        if (string(Keys.BOOTSTRAP_SERVERS, "").isBlank()) {
            throw new ConfigException("bootstrap.servers is required (or ADASTREAM_BOOTSTRAP_SERVERS)");
        }
        policy();
        adaptationMode();
        domainOverflow();
        integer(Keys.DOMAINS_MAX, 1, 10_000_000);
        integer(Keys.STATE_WRITE_EVERY, 1, 1_000_000);
        longValue(Keys.SNAPSHOT_INTERVAL_MS, 100, 86_400_000L);
        integer(Keys.INFERENCE_THREADS, 0, 256);
        integer(Keys.INFERENCE_BATCH_MAX, 1, 256);
        integer(Keys.INFERENCE_BATCH_WAIT_MS, 0, 10_000);
        bool(Keys.TWO_TIER);
        integer(Keys.BAKED_SESSIONS_MAX, 1, 10_000);
        integer(Keys.TWO_TIER_K_MAX, 1, 1 << 20);
        integer(Keys.METRICS_PORT, 0, 65535);
        integer(Keys.METRICS_DOMAIN_LABELS, 0, 100_000);
        httpBindAddress();
        longValue(Keys.HTTP_REQUEST_TIMEOUT_MS, 100, 600_000);
        bool(Keys.ADMIN_READ_OPEN);
        longValue(Keys.IMAGE_MAX_BYTES, 1, Integer.MAX_VALUE);
        longValue(Keys.IMAGE_MAX_PIXELS, 1, 1L << 31);
        bool(Keys.SHADOW_SOURCE);
        statePrecision();
        bool(Keys.WARM_START);
        bool(Keys.LABELS_ENABLED);
        longValue(Keys.LABELS_JOIN_WINDOW_MS, 1, 30L * 86_400_000L);
        integer(Keys.LABELS_ACCURACY_FRAMES, 1, 10_000);
        String provider = string(Keys.EXECUTION_PROVIDER, "cpu");
        if (!provider.equals("cpu") && !provider.equals("cuda")) {
            throw new ConfigException(Keys.EXECUTION_PROVIDER + " must be cpu or cuda, got '" + provider + "'");
        }
        integer(Keys.CUDA_DEVICE, 0, 64);
        secondMoment();
        if (string(Keys.MODEL_SPEC, "").isBlank()) {
            throw new ConfigException(Keys.MODEL_SPEC + " is required: a model spec JSON file, or bundled:segmenter / bundled:detector");
        }
        for (String topic : Keys.TOPICS) {
            String name = topic(topic);
            if (!name.matches("[a-zA-Z0-9._-]{1,249}")) {
                throw new ConfigException(topic + " is not a valid topic name: '" + name + "'");
            }
        }
        String guarantee = string("processing.guarantee", "exactly_once_v2");
        if (!guarantee.equals("exactly_once_v2") && !guarantee.equals("at_least_once")) {
            throw new ConfigException("processing.guarantee must be exactly_once_v2 or at_least_once, got '" + guarantee + "'");
        }
    }

    /** A raw value, or the default. */
    public String string(String key, String defaultValue) {
        return values.getOrDefault(key, defaultValue);
    }

    public String modelSpec() {
        return string(Keys.MODEL_SPEC, "");
    }

    public String policy() throws ConfigException {
        String p = string(Keys.POLICY, "prior-decay");
        if (!p.matches("[a-z0-9-]{1,40}")) {
            throw new ConfigException(Keys.POLICY + " is not a policy name: '" + p + "'");
        }
        return p;
    }

    /** {@code policy.<name>=value} entries, e.g. {@code policy.prior=16}. */
    public Map<String, String> policyParameters() {
        Map<String, String> out = new HashMap<>();
        values.forEach((k, v) -> {
            if (k.startsWith(Keys.POLICY + ".")) {
                out.put(k.substring(Keys.POLICY.length() + 1), v);
            }
        });
        return out;
    }

    /** {@code fused} (default) or {@code two-pass}. */
    public String adaptationMode() throws ConfigException {
        String m = string(Keys.ADAPTATION_MODE, "fused");
        if (!m.equals("fused") && !m.equals("two-pass")) {
            throw new ConfigException(Keys.ADAPTATION_MODE + " must be fused or two-pass, got '" + m + "'");
        }
        return m;
    }

    /** How the changelogged store keeps statistics: {@code float32} (default), {@code float64} or {@code float16}. */
    public String statePrecision() throws ConfigException {
        String p = string(Keys.STATE_PRECISION, "float32");
        if (!p.equals("float64") && !p.equals("float32") && !p.equals("float16")) {
            throw new ConfigException(Keys.STATE_PRECISION + " must be float64, float32 or float16, got '" + p + "'");
        }
        return p;
    }

    /**
     * How the adaptive graph sums the squares of each layer's shifted copy: {@code matmul} (default) or {@code mul-sum}
     * (faster on models of many small layers, such as FastestDet; README, Performance). Every instance of a service
     * must use the same form, as a replay must predict with the same moments.
     */
    public AdaptiveGraphRewriter.SecondMoment secondMoment() throws ConfigException {
        try {
            return AdaptiveGraphRewriter.SecondMoment.of(string(Keys.INFERENCE_SECOND_MOMENT, "matmul"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(Keys.INFERENCE_SECOND_MOMENT + " " + e.getMessage());
        }
    }

    /** {@code evict} (least recently seen domain makes room; default) or {@code refuse}. */
    public String domainOverflow() throws ConfigException {
        String m = string(Keys.DOMAINS_OVERFLOW, "evict");
        if (!m.equals("evict") && !m.equals("refuse")) {
            throw new ConfigException(Keys.DOMAINS_OVERFLOW + " must be evict or refuse, got '" + m + "'");
        }
        return m;
    }

    /** The address the HTTP port binds: {@code 0.0.0.0} (every interface) unless set; an IP literal or host name. */
    public String httpBindAddress() throws ConfigException {
        String a = string(Keys.HTTP_BIND_ADDRESS, "0.0.0.0");
        if (!a.matches("[A-Za-z0-9.:%_-]{1,253}|\\[[0-9A-Fa-f:.%a-z]{2,60}\\]")) {
            throw new ConfigException(Keys.HTTP_BIND_ADDRESS + " must be an IP address or host name, got '" + a + "'");
        }
        return a;
    }

    public String topic(String key) {
        return string(key, Keys.defaultTopic(key));
    }

    public int integer(String key, int min, int max) throws ConfigException {
        long v = longValue(key, min, max);
        return (int) v;
    }

    public long longValue(String key, long min, long max) throws ConfigException {
        String raw = values.get(key);
        long v;
        if (raw == null) {
            v = Keys.defaultNumber(key);
        } else {
            try {
                v = Long.parseLong(raw.trim());
            } catch (NumberFormatException e) {
                throw new ConfigException(key + " must be a whole number, got '" + raw + "'");
            }
        }
        if (v < min || v > max) {
            throw new ConfigException(key + " must be between " + min + " and " + max + ", got " + v);
        }
        return v;
    }

    public boolean bool(String key) throws ConfigException {
        String raw = values.get(key);
        if (raw == null) {
            return Keys.defaultNumber(key) != 0;
        }
        if (raw.equalsIgnoreCase("true") || raw.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(raw);
        }
        throw new ConfigException(key + " must be true or false, got '" + raw + "'");
    }

    /**
     * The Kafka Streams properties: AdaStream's defaults (exactly-once v2), then the standard client keys, then
     * any {@code kafka.*} and {@code streams.*} keys with the prefix removed.
     */
    public Properties streamsProperties() {
        Properties p = new Properties();
        p.put("application.id", "adastream");
        p.put("processing.guarantee", "exactly_once_v2");
        p.put("commit.interval.ms", "100");
        values.forEach((k, v) -> {
            if (KAFKA_KEYS.contains(k) || KnownKeys.isKafka(k) || KAFKA_PREFIXES.stream().anyMatch(k::startsWith)) {
                p.put(k, v);
            }
        });
        values.forEach((k, v) -> {
            if (k.startsWith("kafka.")) {
                p.put(k.substring("kafka.".length()), v);
            } else if (k.startsWith("streams.")) {
                p.put(k.substring("streams.".length()), v);
            }
        });
        return p;
    }

    /** Every setting as read, for logging (values of keys that look secret are masked). */
    public Map<String, String> describe() {
        Map<String, String> out = new TreeMap<>();
        values.forEach((k, v) -> out.put(k, k.matches(".*(password|secret|jaas|token|key).*") ? "******" : v));
        return out;
    }
}
