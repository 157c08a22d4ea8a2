package io.adastream.cli;

import java.io.PrintStream;
import java.util.Map;

/**
 * What a command may use besides its arguments: standard output, standard error and the environment variables.
 * Tests pass their own, so no command reads {@code System.out}, {@code System.err} or {@code System.getenv()}.
 */
public record CommandContext(PrintStream out, PrintStream err, Map<String, String> env) {

    public CommandContext {
        env = Map.copyOf(env);
    }

    /** The process's own streams and environment. */
    public static CommandContext system() {
        return new CommandContext(System.out, System.err, System.getenv());
    }
}
