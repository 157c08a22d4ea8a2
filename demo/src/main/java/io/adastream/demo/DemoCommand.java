package io.adastream.demo;

import io.adastream.cli.AdaStreamCli;
import io.adastream.cli.CommandContext;
import io.adastream.cli.Ranges;
import io.adastream.cli.UsageException;
import io.adastream.topology.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code adastream demo}: the whole service on an embedded broker with a synthetic multi-camera stream. */
@Command(name = "demo", description = "Run the service on an embedded Kafka broker with five synthetic cameras and "
        + "print a live scoreboard (Ctrl-C stops it).")
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--frames", paramLabel = "N", defaultValue = "0",
            description = "frames per camera, then stop by itself; 0 runs until stopped")
    long frames;

    @Option(names = "--policy", paramLabel = "NAME", defaultValue = "prior-decay", description = "the adaptation policy")
    String policy;

    @Option(names = "--partitions", paramLabel = "P", defaultValue = "2", description = "partitions of the topics (1..64)")
    int partitions;

    private final CommandContext context;

    DemoCommand(CommandContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        Ranges.check("--frames", frames, 0, Long.MAX_VALUE);
        Ranges.check("--partitions", partitions, 1, 64);
        PrintStream out = context.out();
        Demo demo = new Demo(new Demo.Options(frames, policy, partitions, 8, Duration.ofSeconds(5)), out);
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            out.println("\nadastream demo: stopping ...");
            demo.stop();
            try {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "adastream-demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            demo.run();
        } catch (ConfigException e) {
            throw new UsageException(e.getMessage());
        } finally {
            demo.close();
            done.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down
            }
        }
        out.println("adastream demo: stopped cleanly");
        return AdaStreamCli.OK;
    }
}
