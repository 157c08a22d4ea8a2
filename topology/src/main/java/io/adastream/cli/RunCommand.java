package io.adastream.cli;

import io.adastream.topology.AdaStreamService;
import io.adastream.topology.TopicsSetup;
import io.adastream.topology.config.AdaStreamConfig;
import io.adastream.topology.config.ConfigException;
import io.adastream.topology.config.Keys;
import org.apache.kafka.streams.KafkaStreams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code adastream run}: runs the service against a Kafka cluster until stopped, configured by an optional
 * properties file, the {@code ADASTREAM_*} environment variables and {@code --set key=value}, in that order.
 */
@Command(name = "run", description = {
        "Run the service against a Kafka cluster until stopped (Ctrl-C stops it cleanly).",
        "Configuration: the --config file, then ADASTREAM_* environment variables (ADASTREAM_BOOTSTRAP_SERVERS "
                + "sets bootstrap.servers; _ is '.', __ is '_', ___ is '-'), then --set; the later wins. "
                + "The environment alone is enough."})
final class RunCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE", description = "a properties file of settings")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", showDefaultValue = Help.Visibility.NEVER, description = "sets one key, over the file and the environment "
            + "(repeatable)")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Option(names = "--create-topics", paramLabel = "PARTITIONS",
            description = "create the missing topics with this many partitions (1..10000) before starting")
    Integer createPartitions;

    @Option(names = "--print-config", description = "print the resolved settings (secrets masked) and exit without starting")
    boolean printConfig;

    private final CommandContext context;

    RunCommand(CommandContext context) {
        this.context = context;
    }

    /** The settings of this invocation: file, then environment, then {@code --set}. */
    AdaStreamConfig configuration() throws ConfigException {
        return AdaStreamConfig.resolve(config, context.env(), overrides);
    }

    @Override
    public Integer call() throws Exception {
        if (createPartitions != null) {
            Ranges.check("--create-topics", createPartitions, 1, 10_000);
        }
        PrintStream out = context.out();
        AdaStreamConfig settings = configuration();
        if (printConfig) {
            settings.describe().forEach((k, v) -> out.println(k + "=" + v));
            return AdaStreamCli.OK;
        }
        settings.warnings().forEach(w -> context.err().println("warning: " + w));
        AdaStreamService service = AdaStreamService.create(settings);
        if (createPartitions != null) {
            Properties admin = new Properties();
            admin.putAll(settings.streamsProperties());
            short replication = Short.parseShort(settings.string("replication.factor", "1"));
            out.println("created topics: " + TopicsSetup.ensure(admin, service.names(),
                    settings.topic(Keys.TOPIC_LABELS), createPartitions, replication));
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
