package io.adastream.cli;

import io.adastream.topology.AdaStreamService;
import io.adastream.topology.TopicsSetup;
import io.adastream.topology.config.AdaStreamConfig;
import io.adastream.topology.config.ConfigException;
import io.adastream.topology.config.Keys;
import org.apache.kafka.streams.KafkaStreams;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/** {@code adastream run --config FILE [--create-topics N]}: runs the service against a Kafka cluster until stopped. */
final class RunCommand implements AdaStreamCli.Command {

    @Override
    public String usage() {
        return "run --config FILE [--create-topics PARTITIONS]\n"
                + "                                run the service against a Kafka cluster (Ctrl-C stops it)";
    }

    @Override
    public int run(String[] args, PrintStream out) throws Exception {
        String file = null;
        int createPartitions = 0;
        for (int i = 0; i < args.length; i++) {
            if (i + 1 >= args.length) {
                throw new UsageException(args[i] + " needs a value");
            }
            switch (args[i]) {
                case "--config" -> file = args[++i];
                case "--create-topics" -> {
                    try {
                        createPartitions = Integer.parseInt(args[++i]);
                    } catch (NumberFormatException e) {
                        throw new UsageException("--create-topics expects a partition count");
                    }
                    if (createPartitions < 1 || createPartitions > 10_000) {
                        throw new UsageException("--create-topics expects 1..10000 partitions");
                    }
                }
                default -> throw new UsageException("unknown argument " + args[i]);
            }
        }
        if (file == null) {
            throw new UsageException("expected --config FILE");
        }
        AdaStreamConfig config;
        AdaStreamService service;
        try {
            config = AdaStreamConfig.load(Path.of(file), System.getenv());
            config.warnings().forEach(w -> System.err.println("warning: " + w));
            service = AdaStreamService.create(config);
        } catch (ConfigException e) {
            throw new UsageException("invalid configuration: " + e.getMessage());
        }
        if (createPartitions > 0) {
            Properties admin = new Properties();
            admin.putAll(config.streamsProperties());
            short replication = Short.parseShort(config.string("replication.factor", "1"));
            out.println("created topics: " + TopicsSetup.ensure(admin, service.names(),
                    config.topic(Keys.TOPIC_LABELS), createPartitions, replication));
        }
        return runUntilStopped(service, out);
    }

    /** Starts the service, stops it cleanly on Ctrl-C (or when it fails), and returns the exit code. */
    static int runUntilStopped(AdaStreamService service, PrintStream out) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        service.streams().setStateListener((now, before) -> {
            out.println("state: " + before + " -> " + now);
            if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.NOT_RUNNING) {
                stopped.countDown();
            }
        });
        Thread hook = new Thread(() -> {
            service.close();
            stopped.countDown();
        }, "adastream-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        service.start();
        out.println("adastream: running model '" + service.runtime().spec().name() + "' (" +
                service.runtime().adaptive().layerCount() + " adaptive layers); reading " + service.names().framesTopic());
        if (service.httpPort() > 0) {
            out.println("adastream: metrics at http://localhost:" + service.httpPort() + "/metrics, health at /health/ready, admin API at /domains");
        }
        stopped.await();
        return service.streams().state() == KafkaStreams.State.ERROR ? AdaStreamCli.INTERNAL_ERROR : AdaStreamCli.OK;
    }
}
