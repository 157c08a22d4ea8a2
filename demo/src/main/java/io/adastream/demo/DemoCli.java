package io.adastream.demo;

import io.adastream.cli.AdaStreamCli;
import io.adastream.cli.CommandContext;
import picocli.CommandLine;

/**
 * The main class of {@code adastream-demo.jar} (and of {@code ./adastream}): the service's command line, every
 * command as in the service jar, with {@code demo} on the embedded broker.
 */
public final class DemoCli {

    private DemoCli() {
    }

    public static void main(String[] args) {
        System.exit(AdaStreamCli.execute(commandLine(CommandContext.system()), args));
    }

    /** The service's command line with this module's {@code demo}, writing to the context's streams. */
    static CommandLine commandLine(CommandContext context) {
        return AdaStreamCli.commandLine(context, new DemoCommand(context));
    }
}
