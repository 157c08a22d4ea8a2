package io.adastream.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Runs command lines in a test: captured standard output and error, and an environment of the test's choosing. */
final class CliRunner {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private Map<String, String> env = Map.of();

    /** Later runs see these environment variables (none by default; never the process's own). */
    CliRunner env(Map<String, String> variables) {
        this.env = Map.copyOf(variables);
        return this;
    }

    /** Runs one command line and returns its exit code; {@link #out()} and {@link #err()} hold what it printed. */
    int run(String... args) {
        out.reset();
        err.reset();
        return AdaStreamCli.run(args, new CommandContext(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env));
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
