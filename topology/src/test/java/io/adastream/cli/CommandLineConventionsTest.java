package io.adastream.cli;

import io.adastream.models.eval.EvalOptions;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every command of the command line does alike: help, version, and one-line usage errors with exit code 2. */
class CommandLineConventionsTest {

    private final CliRunner cli = new CliRunner();

    /** Every listed command of the service's command line (without {@code help}), as registered. */
    private static Map<String, CommandLine> commands() {
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream());
        Map<String, CommandLine> commands = new java.util.LinkedHashMap<>(
                AdaStreamCli.commandLine(new CommandContext(sink, sink, Map.of())).getSubcommands());
        commands.remove("help");
        commands.values().removeIf(c -> c.getCommandSpec().usageMessage().hidden());
        return commands;
    }

    @Test
    void theServiceCommandsAreRegistered() {
        assertEquals(List.of("run", "inspect", "spec", "rewrite", "check", "calibrate", "export", "eval"),
                List.copyOf(commands().keySet()));
    }

    @Test
    void demoIsNotInTheServiceCommandLineAndSaysWhereItIs() {
        assertEquals(0, cli.run("--help"));
        assertFalse(cli.out().contains("demo"), cli.out());
        for (String[] args : new String[][]{{"demo"}, {"demo", "--frames", "8"}, {"demo", "--partitions", "65"}}) {
            assertEquals(2, cli.run(args), String.join(" ", args));
            assertEquals("adastream demo: " + DemoElsewhere.MESSAGE + System.lineSeparator(), cli.err());
            assertTrue(cli.err().contains("adastream-demo.jar"), cli.err());
            assertEquals("", cli.out());
        }
        // an unknown command lists only the service's commands
        assertEquals(2, cli.run("frobnicate"));
        assertFalse(cli.err().contains("demo"), cli.err());
    }

    @Test
    void everyCommandHasHelpListingItsOptionsWithTheirDefaults() {
        for (Map.Entry<String, CommandLine> e : commands().entrySet()) {
            String name = e.getKey();
            assertEquals(0, cli.run(name, "--help"), name + ": " + cli.err());
            String help = cli.out();
            assertTrue(help.startsWith("Usage: adastream " + name), help);
            assertEquals("", cli.err(), name);
            for (OptionSpec option : e.getValue().getCommandSpec().options()) {
                assertTrue(help.contains(option.longestName()), name + " --help lacks " + option.longestName() + ":\n" + help);
                if (option.defaultValue() != null && !option.usageHelp() && !option.versionHelp()) {
                    assertTrue(help.contains("Default: " + option.defaultValue()),
                            name + " --help lacks the default of " + option.longestName() + ":\n" + help);
                }
            }
            assertTrue(help.contains("--version"), help);
        }
        // the defaults as a user reads them
        cli.run("check", "--help");
        assertTrue(cli.out().matches("(?s).*--runs=R\\s+timed runs of each graph \\(1\\.\\.4096\\)\\s+Default: 20.*"), cli.out());
        cli.run("run", "--help");
        assertTrue(cli.out().contains("--set=KEY=VALUE"), cli.out());
        assertTrue(cli.out().contains("ADASTREAM_"), cli.out());
    }

    @Test
    void helpWithoutACommandAndTheHelpCommandExitZero() {
        assertEquals(0, cli.run("--help"));
        for (String name : commands().keySet()) {
            assertTrue(cli.out().contains("  " + name + " "), name + " missing from the overview:\n" + cli.out());
        }
        assertTrue(cli.out().contains("2   bad input"), cli.out());
        assertEquals(0, cli.run("help", "export"));
        assertTrue(cli.out().startsWith("Usage: adastream export"), cli.out());
        // no command at all: the overview on standard error, exit code 2
        assertEquals(2, cli.run());
        assertTrue(cli.err().startsWith("Usage: adastream"), cli.err());
    }

    @Test
    void versionIsTheVersionOfThePom() throws Exception {
        // topology's pom inherits its version from the parent: <parent><version>
        Element parent = (Element) DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(Files.newInputStream(Path.of("pom.xml"))).getDocumentElement()
                .getElementsByTagName("parent").item(0);
        String expected = parent.getElementsByTagName("version").item(0).getTextContent().trim();
        assertTrue(expected.matches("\\d+\\.\\d+\\.\\d+.*"), expected);
        assertEquals(0, cli.run("--version"));
        assertEquals("adastream " + expected, cli.out().lines().findFirst().orElseThrow());
        for (String name : commands().keySet()) {
            assertEquals(0, cli.run(name, "--version"), name);
            assertEquals("adastream " + expected, cli.out().lines().findFirst().orElseThrow(), name);
        }
    }

    @Test
    void unknownOptionsAndBadValuesExitTwoWithOneLine() {
        // the arguments a command requires, so that only the unknown option is wrong
        Map<String, List<String>> required = Map.of(
                "inspect", List.of("m.onnx"),
                "spec", List.of("m.onnx", "--task", "detection", "--out", "s.json"),
                "rewrite", List.of("m.onnx", "out.onnx"),
                "check", List.of("m.onnx"),
                "calibrate", List.of("m.onnx", "--spec", "s.json", "--images", "d", "--out", "o.onnx"),
                "export", List.of("--snapshot", "s.bin", "--model", "m.onnx", "--out", "o.onnx"),
                "eval", List.of("--model", "segmenter"));
        for (String name : commands().keySet()) {
            List<String> args = new java.util.ArrayList<>(List.of(name));
            args.addAll(required.getOrDefault(name, List.of()));
            args.add("--frobnicate");
            assertEquals(2, cli.run(args.toArray(String[]::new)), name);
            assertEquals(1, cli.err().lines().count(), cli.err());
            assertTrue(cli.err().startsWith("adastream " + name + ": Unknown option: '--frobnicate'"), cli.err());
            assertEquals("", cli.out(), name);
        }
        String[][] bad = {
                {"check", "m.onnx", "--runs", "many"},
                {"check", "m.onnx", "--runs", "0"},
                {"check", "m.onnx", "--shape", "3,x,8"},
                {"eval", "--model", "segmenter", "--mode", "three-pass"},
                {"eval", "--model", "segmenter", "--policies", "magic"},
                {"eval", "--model", "segmenter", "--cyclic", "clean"},
                {"eval", "--model", "segmenter", "--stream", "sometimes"},
                {"eval", "--model", "segmenter", "--batch", "0"},
                {"eval", "--frames", "10"},
                {"export", "--snapshot", "s.bin", "--model", "m.onnx"},
                {"run", "--set", "novalue"},
                {"run", "--create-topics", "0"},
                {"rewrite", "only-one.onnx"},
                {"frobnicate"}};
        for (String[] args : bad) {
            assertEquals(2, cli.run(args), String.join(" ", args) + ": " + cli.err());
            assertEquals(1, cli.err().lines().count(), String.join(" ", args) + ": " + cli.err());
        }
        cli.run("frobnicate");
        assertTrue(cli.err().contains("unknown command 'frobnicate'"), cli.err());
        cli.run("eval", "--model", "segmenter", "--mode", "three-pass");
        assertTrue(cli.err().contains("must be fused or two-pass"), cli.err());
    }

    @Test
    void evalDefaultsAreTheEvaluationsDefaults() throws Exception {
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream());
        CommandLine root = AdaStreamCli.commandLine(new CommandContext(sink, sink, Map.of()));
        CommandLine eval = root.getSubcommands().get("eval");
        root.parseArgs("eval", "--model", "segmenter");
        assertEquals(EvalOptions.defaults(), ((EvalCommand) eval.getCommand()).options());
        root.parseArgs("eval", "--model", "segmenter", "--frames", "7", "--batch", "2,4", "--stream", "single",
                "--mode", "two-pass", "--policies", "ema,adabn", "--cyclic", "fog-3,clean", "--seed", "5", "--threads", "3");
        EvalOptions d = EvalOptions.defaults();
        assertEquals(d.withFrames(7).withBatches(List.of(2, 4))
                        .withStreams(java.util.EnumSet.of(io.adastream.models.eval.StreamKind.SINGLE))
                        .withMode(io.adastream.adapt.inference.AdaptationMode.TWO_PASS).withPolicies(List.of("ema", "adabn"))
                        .withCyclic(io.adastream.models.eval.Condition.parse("fog-3"), io.adastream.models.eval.Condition.CLEAN,
                                d.cycles(), d.probeFrames(), d.probeEvery())
                        .withSeed(5).withThreads(3),
                ((EvalCommand) eval.getCommand()).options());
    }
}
