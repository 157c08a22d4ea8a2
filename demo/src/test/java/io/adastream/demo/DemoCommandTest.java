package io.adastream.demo;

import io.adastream.models.spec.BundledModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The README's first command as a user runs it ({@code adastream demo --frames N}: a real broker in the JVM, the
 * service, five cameras, the live scoreboard, a clean stop).
 */
class DemoCommandTest {

    static final Pattern DOMAIN_LINE = Pattern.compile(
            "^\\s+(cam-[a-z0-9-]+)\\s+(\\S+)\\s+(\\d+)\\s+([0-9.]+)\\s+([0-9.]+)\\s+([0-9.]+)\\s+([+-][0-9.]+)\\s+(\\S+)$");

    private final DemoCliRunner cli = new DemoCliRunner();

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
}
