package io.adastream.cli;

import io.adastream.topology.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * How a failed command line ends: bad arguments and bad input (files, models, configuration) print one line on
 * standard error and exit {@value AdaStreamCli#BAD_INPUT}; anything else prints the stack trace and exits
 * {@value AdaStreamCli#INTERNAL_ERROR}.
 */
final class ErrorReport implements CommandLine.IParameterExceptionHandler, CommandLine.IExecutionExceptionHandler,
        CommandLine.IExitCodeExceptionMapper {

    private final PrintStream err;

    ErrorReport(PrintStream err) {
        this.err = err;
    }

    @Override
    public int getExitCode(Throwable t) {
        return t instanceof UsageException || t instanceof ConfigException || t instanceof ParameterException
                ? AdaStreamCli.BAD_INPUT : AdaStreamCli.INTERNAL_ERROR;
    }

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        String message = e.getMessage() + " (see '" + name(cmd) + " --help')";
        if (e instanceof UnmatchedArgumentException u && cmd.getParent() == null && !u.getUnmatched().isEmpty()
                && !u.getUnmatched().get(0).startsWith("-")) {
            message = "unknown command '" + u.getUnmatched().get(0) + "' (commands: "
                    + String.join(", ", visibleCommands(cmd)) + ")";
        }
        err.println(name(cmd) + ": " + message);
        return getExitCode(e);
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
        int code = getExitCode(e);
        if (code == AdaStreamCli.BAD_INPUT) {
            String prefix = e instanceof ConfigException ? "invalid configuration: " : "";
            err.println(name(cmd) + ": " + prefix + e.getMessage());
        } else {
            err.println(name(cmd) + ": internal error: " + e);
            e.printStackTrace(err);
        }
        return code;
    }

    private static List<String> visibleCommands(CommandLine cmd) {
        return cmd.getSubcommands().entrySet().stream()
                .filter(e -> !e.getValue().getCommandSpec().usageMessage().hidden())
                .map(Map.Entry::getKey).toList();
    }

    private static String name(CommandLine cmd) {
        return cmd.getCommandSpec().qualifiedName();
    }
}
