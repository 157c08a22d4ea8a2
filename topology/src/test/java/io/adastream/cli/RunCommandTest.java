package io.adastream.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code adastream run}'s configuration: from a file, from the environment alone, overridden by {@code --set}, bad
 * settings refused with one line.
 */
class RunCommandTest {

    @TempDir
    Path dir;

    private final CliRunner cli = new CliRunner();

    private int run(String... args) {
        return cli.run(args);
    }

    @Test
    void runRefusesBadConfigurationWithOneLine() throws Exception {
        Path missingKey = dir.resolve("a.properties");
        Files.writeString(missingKey, "model.spec=bundled:segmenter\n");
        Path badValue = dir.resolve("b.properties");
        Files.writeString(badValue, "bootstrap.servers=localhost:1\nmodel.spec=bundled:segmenter\nlabels.join.window.ms=soon\n");
        Path badPolicy = dir.resolve("c.properties");
        Files.writeString(badPolicy, "bootstrap.servers=localhost:1\nmodel.spec=bundled:segmenter\npolicy=ema\npolicy.momentum=7\n");
        for (Path config : new Path[]{missingKey, badValue, badPolicy, dir.resolve("missing.properties")}) {
            assertEquals(2, run("run", "--config", config.toString()), config + ": " + cli.err());
            String e = cli.err();
            assertEquals(1, e.lines().count(), e);
        }
        run("run", "--config", badValue.toString());
        assertTrue(cli.err().contains("labels.join.window.ms"), cli.err());
        run("run", "--config", missingKey.toString());
        assertTrue(cli.err().contains("bootstrap.servers"), cli.err());
    }

    @Test
    void runIsConfiguredByTheEnvironmentAlone() {
        cli.env(Map.of("ADASTREAM_BOOTSTRAP_SERVERS", "broker-a:9092,broker-b:9092",
                "ADASTREAM_MODEL_SPEC", "bundled:segmenter",
                "ADASTREAM_TOPIC_DEAD___LETTER", "cams.dlq",
                "ADASTREAM_KAFKA_SASL_JAAS__CONFIG", "hidden",
                "HOME", "/not/a/setting"));
        assertEquals(0, run("run", "--print-config"), cli.err());
        List<String> lines = cli.out().lines().toList();
        assertEquals(List.of("bootstrap.servers=broker-a:9092,broker-b:9092", "kafka.sasl.jaas_config=******",
                "model.spec=bundled:segmenter", "topic.dead-letter=cams.dlq"), lines);
        // without model.spec in the environment, the start stops at that key (bootstrap.servers came from it)
        cli.env(Map.of("ADASTREAM_BOOTSTRAP_SERVERS", "broker-a:9092"));
        assertEquals(2, run("run"));
        assertEquals(1, cli.err().lines().count(), cli.err());
        assertTrue(cli.err().startsWith("adastream run: invalid configuration: model.spec is required"), cli.err());
    }

    @Test
    void setOverridesTheFileAndTheEnvironment() throws Exception {
        Path file = dir.resolve("adastream.properties");
        Files.writeString(file, "bootstrap.servers=file:9092\nmodel.spec=bundled:segmenter\npolicy=ema\npolicy.momentum=0.2\n");
        cli.env(Map.of("ADASTREAM_POLICY", "adabn", "ADASTREAM_METRICS_PORT", "9500"));
        assertEquals(0, run("run", "--config", file.toString(), "--print-config"), cli.err());
        assertEquals(List.of("bootstrap.servers=file:9092", "metrics.port=9500", "model.spec=bundled:segmenter",
                "policy=adabn", "policy.momentum=0.2"), cli.out().lines().toList());
        assertEquals(0, run("run", "--config", file.toString(), "--set", "policy=balanced",
                "--set", "bootstrap.servers=set:9092", "--set", "labels.join.window.ms=60000", "--print-config"), cli.err());
        assertEquals(List.of("bootstrap.servers=set:9092", "labels.join.window.ms=60000", "metrics.port=9500",
                "model.spec=bundled:segmenter", "policy=balanced", "policy.momentum=0.2"), cli.out().lines().toList());
        // an override is validated like any setting
        assertEquals(2, run("run", "--config", file.toString(), "--set", "labels.join.window.ms=soon"));
        assertEquals(1, cli.err().lines().count(), cli.err());
        assertTrue(cli.err().contains("labels.join.window.ms"), cli.err());
        // a value may itself contain '='
        assertEquals(0, run("run", "--config", file.toString(), "--set", "kafka.client.rack=zone=a", "--print-config"));
        assertTrue(cli.out().lines().anyMatch("kafka.client.rack=zone=a"::equals), cli.out());
    }
}
