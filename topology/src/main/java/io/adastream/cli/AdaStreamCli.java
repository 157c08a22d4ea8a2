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
 * (one line on standard error saying why). This is the service's command line: its {@code demo} only says where the
 * demo is ({@link DemoElsewhere}); the demo module builds the same command line with its own {@code demo}
 * ({@link #commandLine(CommandContext, Object)}).
 */
@Command(name = "adastream", scope = ScopeType.INHERIT, mixinStandardHelpOptions = true,
        versionProvider = BuildVersion.class, showDefaultValues = true, sortOptions = false,
        usageHelpAutoWidth = true,
        description = "Streaming test-time adaptation of ONNX vision models on Kafka Streams.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:internal error", "2:bad input (one line on standard error saying why)"})
public final class AdaStreamCli implements Callable<Integer> {

    /** Exit code: success. */
    public static final int OK = 0;
    /** Exit code: an internal error (the stack trace on standard error). */
    public static final int INTERNAL_ERROR = 1;
    /** Exit code: bad input (one line on standard error saying why). */
    public static final int BAD_INPUT = 2;

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
        return execute(commandLine(context), args);
    }

    /** Runs these arguments on a command line built by {@link #commandLine} and returns the exit code. */
    public static int execute(CommandLine cli, String[] args) {
        try {
            return cli.execute(args);
        } finally {
            cli.getOut().flush();
            cli.getErr().flush();
        }
    }

    /** The service's command line, writing to the context's streams: every command, {@code demo} only a pointer. */
    public static CommandLine commandLine(CommandContext context) {
        return commandLine(context, new DemoElsewhere());
    }

    /**
     * The command line with this {@code demo} command (a picocli command object named {@code demo}) and every
     * command of the service, writing to the context's streams.
     */
    public static CommandLine commandLine(CommandContext context, Object demo) {
        ErrorReport errors = new ErrorReport(context.err());
        return new CommandLine(new AdaStreamCli(context))
                .addSubcommand("demo", demo)
                .addSubcommand(new RunCommand(context))
                .addSubcommand(new InspectCommand(context))
                .addSubcommand(new SpecCommand(context))
                .addSubcommand(new RewriteCommand(context))
                .addSubcommand(new CheckCommand(context))
                .addSubcommand(new CalibrateCommand(context))
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
