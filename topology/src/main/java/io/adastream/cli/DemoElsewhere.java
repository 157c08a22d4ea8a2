package io.adastream.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code demo} in the service's command line, which carries no Kafka broker: not listed, and when asked for, one
 * line naming the artifact that has the demo (exit code 2). The demo module's command line replaces it.
 */
@Command(name = "demo", hidden = true, description = "Not in the service jar: the demo is in adastream-demo.jar.")
final class DemoElsewhere implements Callable<Integer> {

    /** The message of {@code adastream demo} run from the service jar. */
    static final String MESSAGE = "the demo is not in the service jar (it has no Kafka broker); it is in "
            + "adastream-demo.jar, the demo/ module (from a clone of the repository: ./adastream demo)";

    /** Whatever the demo's options were: the answer is the same. */
    @Unmatched
    List<String> ignored;

    @Override
    public Integer call() throws UsageException {
        throw new UsageException(MESSAGE);
    }
}
