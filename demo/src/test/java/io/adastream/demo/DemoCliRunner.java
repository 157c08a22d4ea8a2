package io.adastream.demo;

import io.adastream.cli.AdaStreamCli;
import io.adastream.cli.CommandContext;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Runs the demo jar's command lines in a test, with captured standard output and error and no environment. */
final class DemoCliRunner {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    /** Runs one command line and returns its exit code; {@link #out()} and {@link #err()} hold what it printed. */
    int run(String... args) {
        out.reset();
        err.reset();
        CommandContext context = new CommandContext(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());
        return AdaStreamCli.execute(DemoCli.commandLine(context), args);
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
