package io.adastream.cli;

import io.adastream.demo.Demo;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/** {@code adastream demo}: the whole service on an embedded broker with a synthetic multi-camera stream. */
final class DemoCommand implements AdaStreamCli.Command {

    @Override
    public String usage() {
        return "demo [--frames N] [--policy NAME] [--partitions P]\n"
                + "                                run the service on an embedded Kafka broker with synthetic cameras";
    }

    @Override
    public int run(String[] args, PrintStream out) throws Exception {
        long frames = 0;
        String policy = "prior-decay";
        int partitions = 2;
        for (int i = 0; i < args.length; i++) {
            if (i + 1 >= args.length) {
                throw new UsageException(args[i] + " needs a value");
            }
            String v = args[++i];
            try {
                switch (args[i - 1]) {
                    case "--frames" -> frames = Long.parseLong(v);
                    case "--policy" -> policy = v;
                    case "--partitions" -> partitions = Integer.parseInt(v);
                    default -> throw new UsageException("unknown argument " + args[i - 1]);
                }
            } catch (NumberFormatException e) {
                throw new UsageException(args[i - 1] + " expects a number, got " + v);
            }
        }
        if (frames < 0 || partitions < 1 || partitions > 64) {
            throw new UsageException("--frames must be >= 0 and --partitions in 1..64");
        }
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
        } catch (io.adastream.topology.config.ConfigException e) {
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
