package io.adastream.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code adastream} command line: dispatches to one command per verb. Exit codes: 0 success, 1 internal
 * error, 2 bad input (with a one-line reason on standard error).
 */
public final class AdaStreamCli {

    /** One verb of the command line. */
    interface Command {
        String usage();

        int run(String[] args, PrintStream out) throws Exception;
    }

    static final int OK = 0;
    static final int INTERNAL_ERROR = 1;
    static final int BAD_INPUT = 2;

    private static final Map<String, Command> COMMANDS = new LinkedHashMap<>();

    static {
        COMMANDS.put("demo", new DemoCommand());
        COMMANDS.put("inspect", new InspectCommand());
        COMMANDS.put("rewrite", new RewriteCommand());
        COMMANDS.put("check", new CheckCommand());
        COMMANDS.put("export", new ExportCommand());
        COMMANDS.put("run", new RunCommand());
        COMMANDS.put("eval", new EvalCommand());
    }

    private AdaStreamCli() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs a command line and returns its exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
            printHelp(args.length == 0 ? err : out);
            return args.length == 0 ? BAD_INPUT : OK;
        }
        Command command = COMMANDS.get(args[0]);
        if (command == null) {
            err.println("adastream: unknown command '" + args[0] + "' (commands: " + String.join(", ", COMMANDS.keySet()) + ")");
            return BAD_INPUT;
        }
        try {
            return command.run(Arrays.copyOfRange(args, 1, args.length), out);
        } catch (UsageException e) {
            err.println("adastream " + args[0] + ": " + e.getMessage());
            return BAD_INPUT;
        } catch (Exception e) {
            err.println("adastream " + args[0] + ": internal error: " + e);
            e.printStackTrace(err);
            return INTERNAL_ERROR;
        }
    }

    private static void printHelp(PrintStream s) {
        s.println("usage: adastream COMMAND [ARGS]");
        COMMANDS.forEach((name, c) -> s.println("  " + c.usage()));
    }
}
