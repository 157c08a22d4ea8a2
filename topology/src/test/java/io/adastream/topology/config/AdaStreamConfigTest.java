package io.adastream.topology.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Configuration: file, environment overrides, Kafka pass-through and one-line errors. */
class AdaStreamConfigTest {

    @TempDir
    Path dir;

    static Map<String, String> minimal() {
        Map<String, String> m = new HashMap<>();
        m.put("bootstrap.servers", "broker:9092");
        m.put("model.spec", "bundled:segmenter");
        return m;
    }

    @Test
    void fileValuesAreOverriddenByTheEnvironment() throws Exception {
        Path file = dir.resolve("adastream.properties");
        Files.writeString(file, """
                bootstrap.servers=file:9092
                model.spec=bundled:segmenter
                policy=ema
                policy.momentum=0.02
                sasl.mechanism=PLAIN
                kafka.max.poll.records=50
                streams.num.standby.replicas=1
                """);
        AdaStreamConfig c = AdaStreamConfig.load(file, Map.of(
                "ADASTREAM_BOOTSTRAP_SERVERS", "env:9092",
                "ADASTREAM_KAFKA_SASL_JAAS__CONFIG", "secret",
                "ADASTREAM_TOPIC_DEAD___LETTER", "dlq",
                "UNRELATED", "x"));
        Properties p = c.streamsProperties();
        assertEquals("env:9092", p.getProperty("bootstrap.servers"));
        assertEquals("exactly_once_v2", p.getProperty("processing.guarantee"));
        assertEquals("PLAIN", p.getProperty("sasl.mechanism"));
        assertEquals("50", p.getProperty("max.poll.records"));
        assertEquals("1", p.getProperty("num.standby.replicas"));
        assertEquals("secret", p.getProperty("sasl.jaas_config"));
        assertEquals("dlq", c.topic(Keys.TOPIC_DEAD_LETTER));
        assertEquals("ema", c.policy());
        assertEquals(Map.of("momentum", "0.02"), c.policyParameters());
        assertEquals("******", c.describe().get("kafka.sasl.jaas_config"));
        assertFalse(p.containsKey("policy"));
    }

    @Test
    void environmentNamesFollowTheConfluentConvention() {
        assertEquals("bootstrap.servers", AdaStreamConfig.envToKey("BOOTSTRAP_SERVERS"));
        assertEquals("topic.dead-letter", AdaStreamConfig.envToKey("TOPIC_DEAD___LETTER"));
        assertEquals("kafka.sasl.jaas_config", AdaStreamConfig.envToKey("KAFKA_SASL_JAAS__CONFIG"));
    }

    @Test
    void theSecondMomentFormIsMatmulUnlessMulSumIsAsked() throws Exception {
        assertEquals(io.adastream.adapt.onnx.AdaptiveGraphRewriter.SecondMoment.MATMUL,
                AdaStreamConfig.of(minimal()).secondMoment());
        Map<String, String> m = minimal();
        m.put("inference.second.moment", "mul-sum");
        assertEquals(io.adastream.adapt.onnx.AdaptiveGraphRewriter.SecondMoment.MUL_SUM, AdaStreamConfig.of(m).secondMoment());
    }

    @Test
    void invalidSettingsFailWithOneLineNamingTheKey() {
        Map<String, String[]> bad = Map.of(
                "bootstrap.servers", new String[]{"bootstrap.servers", ""},
                "domains.max.per.task", new String[]{"domains.max.per.task", "many"},
                "adaptation.mode", new String[]{"adaptation.mode", "three-pass"},
                "topic.frames", new String[]{"topic.frames", "bad topic!"},
                "processing.guarantee", new String[]{"processing.guarantee", "exactly_once"},
                "execution.provider", new String[]{"execution.provider", "tpu"},
                "shadow.source", new String[]{"shadow.source", "yes"},
                "inference.second.moment", new String[]{"inference.second.moment", "reduce-sum-square"},
                "model.spec", new String[]{"model.spec", ""});
        bad.forEach((key, kv) -> {
            Map<String, String> m = minimal();
            m.put(kv[0], kv[1]);
            ConfigException e = assertThrows(ConfigException.class, () -> AdaStreamConfig.of(m), key);
            assertTrue(e.getMessage().contains(key), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
        });
        assertThrows(ConfigException.class, () -> AdaStreamConfig.load(dir.resolve("missing.properties"), Map.of()));
    }

    @Test
    void anUnknownKeyInTheFileIsRefusedWithASuggestion() throws Exception {
        Map<String, String> typo = minimal();
        typo.put("domains.max.per.tsk", "50");
        ConfigException e = assertThrows(ConfigException.class, () -> AdaStreamConfig.of(typo));
        assertEquals("unknown setting 'domains.max.per.tsk' (did you mean 'domains.max.per.task'?)", e.getMessage());

        Map<String, String> kafkaTypo = minimal();
        kafkaTypo.put("num.stream.thread", "2");
        assertEquals("unknown setting 'num.stream.thread' (did you mean 'num.stream.threads'?)",
                assertThrows(ConfigException.class, () -> AdaStreamConfig.of(kafkaTypo)).getMessage());

        Map<String, String> nothingClose = minimal();
        nothingClose.put("colour.of.the.sky", "blue");
        assertEquals("unknown setting 'colour.of.the.sky'",
                assertThrows(ConfigException.class, () -> AdaStreamConfig.of(nothingClose)).getMessage());

        Path file = dir.resolve("typo.properties");
        Files.writeString(file, "bootstrap.servers=b:9092\nmodel.spec=bundled:segmenter\nimage.max.pixel=100\n");
        assertEquals("unknown setting 'image.max.pixel' in " + file + " (did you mean 'image.max.pixels'?)",
                assertThrows(ConfigException.class, () -> AdaStreamConfig.load(file, Map.of())).getMessage());
    }

    @Test
    void kafkaSettingsStayAcceptedAndUnknownEnvironmentVariablesOnlyWarn() throws Exception {
        Map<String, String> m = minimal();
        m.put("kafka.max.poll.records", "50");
        m.put("streams.anything.goes", "x");
        m.put("policy.momentum", "0.02");
        m.put("max.poll.records", "40");
        m.put("linger.ms", "3");
        m.put("sasl.jaas.config", "secret");
        m.put("metrics.recording.level", "DEBUG");
        AdaStreamConfig config = AdaStreamConfig.of(m);
        Properties p = config.streamsProperties();
        assertEquals("50", p.getProperty("max.poll.records"), "the prefixed key wins over the bare one");
        assertEquals("3", p.getProperty("linger.ms"));
        assertEquals("DEBUG", p.getProperty("metrics.recording.level"));
        assertEquals("x", p.getProperty("anything.goes"));
        assertFalse(p.containsKey("policy.momentum"));
        assertTrue(config.warnings().isEmpty(), config.warnings().toString());

        Path file = dir.resolve("ok.properties");
        Files.writeString(file, "bootstrap.servers=b:9092\nmodel.spec=bundled:segmenter\n");
        AdaStreamConfig fromEnv = AdaStreamConfig.load(file, Map.of("ADASTREAM_CHECK_COMPOSE", "1",
                "ADASTREAM_DOMAINS_MAX_PER_TSK", "5"));
        assertEquals(java.util.List.of(
                        "ignoring ADASTREAM_CHECK_COMPOSE: unknown setting 'check.compose'",
                        "ignoring ADASTREAM_DOMAINS_MAX_PER_TSK: unknown setting 'domains.max.per.tsk' (did you mean 'domains.max.per.task'?)"),
                fromEnv.warnings());
        assertEquals(1000, fromEnv.integer(Keys.DOMAINS_MAX, 1, 10_000_000));
    }
}
