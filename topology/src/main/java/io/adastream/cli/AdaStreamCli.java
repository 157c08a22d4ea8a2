package io.adastream.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * The {@code adastream} command line (picocli): one class per command, registered in {@link #commandLine}.
 * Every command has {@code --help} and {@code --version}. Exit codes: 0 success, 1 internal error, 2 bad input
 * (one line on standard error saying why).
 */
@Command(name = "adastream", scope = ScopeType.INHERIT, mixinStandardHelpOptions = true,
        versionProvider = BuildVersion.class, showDefaultValues = true, sortOptions = false,
        usageHelpAutoWidth = true,
        description = "Streaming test-time adaptation of ONNX vision models on Kafka Streams.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:internal error", "2:bad input (one line on standard error saying why)"})
public final class AdaStreamCli implements Callable<Integer> {

    static final int OK = 0;
    static final int INTERNAL_ERROR = 1;
    static final int BAD_INPUT = 2;

    @Spec
    CommandSpec spec;

    private final CommandContext context;

    AdaStreamCli(CommandContext context) {
        this.context = context;
    }

    public static void main(String[] args) {
        System.exit(run(args, CommandContext.system()));
    }

    /** Runs a command line with these streams and the process's environment, and returns its exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, new CommandContext(out, err, System.getenv()));
    }

    /** Runs a command line in a context and returns its exit code. */
    static int run(String[] args, CommandContext context) {
        CommandLine cli = commandLine(context);
        try {
            return cli.execute(args);
        } finally {
            cli.getOut().flush();
            cli.getErr().flush();
        }
    }

    /** The command line with every command, writing to the context's streams. */
    static CommandLine commandLine(CommandContext context) {
        ErrorReport errors = new ErrorReport(context.err());
        return new CommandLine(new AdaStreamCli(context))
                .addSubcommand(new DemoCommand(context))
                .addSubcommand(new RunCommand(context))
                .addSubcommand(new InspectCommand(context))
                .addSubcommand(new RewriteCommand(context))
                .addSubcommand(new CheckCommand(context))
                .addSubcommand(new ExportCommand(context))
                .addSubcommand(new EvalCommand(context))
                .addSubcommand(new CommandLine.HelpCommand())
                .setOut(writer(context.out()))
                .setErr(writer(context.err()))
                .setParameterExceptionHandler(errors)
                .setExecutionExceptionHandler(errors)
                .setExitCodeExceptionMapper(errors);
    }

    /** {@code adastream} without a command: the overview on standard error, exit code 2. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return BAD_INPUT;
    }

    private static PrintWriter writer(PrintStream stream) {
        return new PrintWriter(stream, true);
    }
}
