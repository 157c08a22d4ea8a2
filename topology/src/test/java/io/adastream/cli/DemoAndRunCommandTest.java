package io.adastream.cli;

import io.adastream.models.spec.BundledModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The README's first command as a user runs it ({@code adastream demo --frames N}: a real broker in the JVM, the
 * service, five cameras, the live scoreboard, a clean stop), and {@code adastream run}'s configuration: from a file,
 * from the environment alone, overridden by {@code --set}, bad settings refused with one line.
 */
class DemoAndRunCommandTest {

    static final Pattern DOMAIN_LINE = Pattern.compile(
            "^\\s+(cam-[a-z0-9-]+)\\s+(\\S+)\\s+(\\d+)\\s+([0-9.]+)\\s+([0-9.]+)\\s+([0-9.]+)\\s+([+-][0-9.]+)\\s+(\\S+)$");

    @TempDir
    Path dir;

    private final CliRunner cli = new CliRunner();

    private int run(String... args) {
        return cli.run(args);
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void theDemoStreamsFiveCamerasScoresThemAndStopsCleanly() {
        assumeTrue(BundledModels.available(BundledModels.SEGMENTER), "the bundled demo segmenter is not in this build");
        int frames = 16;
        assertEquals(0, run("demo", "--frames", Integer.toString(frames)), cli.err());
        String text = cli.out();
        assertTrue(text.contains("broker at "), text);
        assertTrue(text.matches("(?s).*metrics at http://localhost:\\d+/metrics.*"), text);
        assertTrue(text.contains("adastream demo: stopped cleanly"), text);
        // the last scoreboard: every camera predicted every frame, with accuracies in [0, 1] and gain = adapted - source
        List<String> lines = text.lines().toList();
        int last = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("mIoU adapt")) {
                last = i;
            }
        }
        assertTrue(last >= 0, text);
        int cameras = 0;
        for (String line : lines.subList(last + 1, lines.size())) {
            Matcher m = DOMAIN_LINE.matcher(line);
            if (!m.matches()) {
                continue;
            }
            cameras++;
            assertEquals(frames, Integer.parseInt(m.group(3)), line);
            double adapted = Double.parseDouble(m.group(5));
            double source = Double.parseDouble(m.group(6));
            assertTrue(adapted >= 0 && adapted <= 1 && source >= 0 && source <= 1, line);
            assertEquals(adapted - source, Double.parseDouble(m.group(7)), 0.0015, line);
        }
        assertEquals(5, cameras, text);
        assertTrue(text.contains("total " + 5 * frames + " frames"), text);
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
