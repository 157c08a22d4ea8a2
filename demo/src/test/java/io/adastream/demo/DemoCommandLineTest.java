package io.adastream.demo;

import io.adastream.cli.AdaStreamCli;
import io.adastream.cli.CommandContext;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo jar's command line: the service's commands, each the service's own, plus a listed {@code demo} that
 * follows the same conventions (help with defaults, version, one-line usage errors with exit code 2).
 */
class DemoCommandLineTest {

    private static final PrintStream SINK = new PrintStream(OutputStream.nullOutputStream());

    private final DemoCliRunner cli = new DemoCliRunner();

    @Test
    void theServiceCommandsPlusDemoAreListed() {
        CommandContext context = new CommandContext(SINK, SINK, Map.of());
        List<String> service = visible(AdaStreamCli.commandLine(context));
        List<String> expected = new ArrayList<>(service);
        expected.add(0, "demo");
        assertEquals(expected, visible(DemoCli.commandLine(context)));
        CommandLine demo = DemoCli.commandLine(context).getSubcommands().get("demo");
        assertTrue(demo.getCommand() instanceof DemoCommand, demo.getCommand().getClass().getName());
        assertEquals(0, cli.run("--help"));
        for (String name : expected) {
            assertTrue(cli.out().contains("  " + name + " "), name + " missing from the overview:\n" + cli.out());
        }
    }

    @Test
    void demoHelpListsItsOptionsWithTheirDefaults() {
        assertEquals(0, cli.run("demo", "--help"), cli.err());
        String help = cli.out();
        assertTrue(help.startsWith("Usage: adastream demo"), help);
        assertTrue(help.matches("(?s).*--frames=N\\s+frames per camera.*Default: 0.*"), help);
        assertTrue(help.matches("(?s).*--policy=NAME.*Default: prior-decay.*"), help);
        assertTrue(help.matches("(?s).*--partitions=P.*Default: 2.*"), help);
        assertEquals(0, cli.run("demo", "--version"));
        assertTrue(cli.out().startsWith("adastream "), cli.out());
    }

    @Test
    void badDemoArgumentsExitTwoWithOneLine() {
        String[][] bad = {{"demo", "--partitions", "65"}, {"demo", "--partitions", "0"}, {"demo", "--frames"},
                {"demo", "--frames", "-1"}, {"demo", "--frames", "many"}, {"demo", "--frobnicate"}};
        for (String[] args : bad) {
            assertEquals(2, cli.run(args), String.join(" ", args) + ": " + cli.err());
            assertEquals(1, cli.err().lines().count(), String.join(" ", args) + ": " + cli.err());
            assertTrue(cli.err().startsWith("adastream demo: "), cli.err());
            assertEquals("", cli.out(), String.join(" ", args));
        }
        cli.run("demo", "--partitions", "65");
        assertEquals("adastream demo: --partitions must be in 1..64, got 65", cli.err().strip());
    }

    private static List<String> visible(CommandLine root) {
        return root.getSubcommands().entrySet().stream()
                .filter(e -> !e.getValue().getCommandSpec().usageMessage().hidden())
                .map(Map.Entry::getKey).toList();
    }
}
