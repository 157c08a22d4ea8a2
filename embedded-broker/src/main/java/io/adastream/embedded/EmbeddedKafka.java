package io.adastream.embedded;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.raft.DynamicVoters;

/**
 * A real single-node Apache Kafka broker (KRaft, one combined broker and controller, a single
 * voter) started from the Kafka jars on the class path, listening on 127.0.0.1 only. It runs in
 * this JVM or in a child JVM ({@link Builder#childProcess(boolean)}), can be stopped and started
 * again on the same storage directory and ports (to simulate an outage), and {@link #close()}
 * deletes its directory.
 *
 * <p>Typical use: {@code try (EmbeddedKafka kafka = EmbeddedKafka.builder().build().start()) {...}}.
 */
public final class EmbeddedKafka implements AutoCloseable {

    /** The line a child broker JVM prints on its standard output once its server has started. */
    static final String CHILD_STARTED_MARKER = "ADASTREAM-EMBEDDED-KAFKA-STARTED";

    private static final String LOOPBACK = "127.0.0.1";
    private static final String BROKER_LISTENER = "PLAINTEXT";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final int NODE_ID = 1;

    static {
        quietBrokerLogging();
    }

    private final Path root;
    private final boolean deleteOnClose;
    private final int brokerPort;
    private final int controllerPort;
    private final Duration startupTimeout;
    private final Duration shutdownTimeout;
    private final Map<String, String> overrides;
    private final boolean childProcess;
    private final List<String> childJvmOptions;

    private String clusterId;
    private KafkaRaftServer server;
    private Process child;
    private boolean closed;
    private Duration lastStartupTime = Duration.ZERO;

    private EmbeddedKafka(Builder b) throws IOException {
        if (b.storageDirectory != null) {
            root = b.storageDirectory.toAbsolutePath();
            Files.createDirectories(root);
            deleteOnClose = b.deleteOnClose;
        } else {
            root = Files.createTempDirectory("adastream-kafka-");
            deleteOnClose = true;
        }
        brokerPort = b.brokerPort > 0 ? b.brokerPort : freeLoopbackPort();
        int cp = b.controllerPort > 0 ? b.controllerPort : freeLoopbackPort();
        while (cp == brokerPort) {
            cp = freeLoopbackPort();
        }
        controllerPort = cp;
        startupTimeout = b.startupTimeout;
        shutdownTimeout = b.shutdownTimeout;
        overrides = Map.copyOf(b.overrides);
        childProcess = b.childProcess;
        childJvmOptions = List.copyOf(b.childJvmOptions);
    }

    /** A builder with the defaults: a fresh temporary directory, free ports, in this JVM. */
    public static Builder builder() {
        return new Builder();
    }

    /** Starts a broker with the defaults in this JVM. */
    public static EmbeddedKafka startInProcess() {
        return builder().build().start();
    }

    /** Starts a broker with the defaults in a child JVM, so that it can be killed and restarted. */
    public static EmbeddedKafka startChildProcess() {
        return builder().childProcess(true).build().start();
    }

    /**
     * Formats the storage directory on the first start (a new cluster id) and starts the broker,
     * returning once the Admin client sees the node, or throwing after the start-up timeout.
     * Starting again after {@link #stop()} or {@link #kill()} reuses the directory and ports.
     */
    public synchronized EmbeddedKafka start() {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        if (isRunning()) {
            return this;
        }
        long t0 = System.nanoTime();
        try {
            formatIfNeeded();
            if (childProcess) {
                startChild();
            } else {
                KafkaRaftServer s = new KafkaRaftServer(KafkaConfig.fromProps(brokerProperties()), Time.SYSTEM);
                server = s;
                s.startup();
            }
            awaitReady(t0);
        } catch (RuntimeException | Error e) {
            stopQuietly();
            throw e;
        } catch (Exception e) {
            stopQuietly();
            throw new IllegalStateException("embedded Kafka failed to start: " + e, e);
        }
        lastStartupTime = Duration.ofNanos(System.nanoTime() - t0);
        return this;
    }

    /** {@code 127.0.0.1:port} of the broker listener; the same across restarts. */
    public String bootstrapServers() {
        return LOOPBACK + ":" + brokerPort;
    }

    /** The cluster id written when the directory was formatted, or null before the first start. */
    public synchronized String clusterId() {
        return clusterId;
    }

    /** The directory holding the broker's data (and, for a child JVM, its log file). */
    public Path storageDirectory() {
        return root;
    }

    /** The file that a child broker JVM writes its standard output and error to. */
    public Path childLogFile() {
        return root.resolve("broker.log");
    }

    /** Whether the broker was started and not stopped (a child JVM that died counts as stopped). */
    public synchronized boolean isRunning() {
        return server != null || (child != null && child.isAlive());
    }

    /** How long the last successful {@link #start()} took, from the call to a ready broker. */
    public synchronized Duration lastStartupTime() {
        return lastStartupTime;
    }

    /** Admin client properties for this broker (bootstrap servers, loopback, short timeouts). */
    public Properties adminProperties() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        p.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
        return p;
    }

    /** Creates a topic with the given partitions (replication factor 1) and topic configs. */
    public void createTopic(String name, int partitions, Map<String, String> configs) {
        createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs)));
    }

    /** Creates a log-compacted topic (cleanup.policy=compact) with the given extra configs. */
    public void createCompactedTopic(String name, int partitions, Map<String, String> configs) {
        Map<String, String> all = new LinkedHashMap<>(configs);
        all.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        createTopic(name, partitions, all);
    }

    /**
     * Creates the topics and waits until they are created; a topic that already exists is left
     * as it is.
     */
    public void createTopics(Collection<NewTopic> topics) {
        try (Admin admin = Admin.create(adminProperties())) {
            var result = admin.createTopics(topics, new CreateTopicsOptions().timeoutMs(30_000));
            for (var e : result.values().entrySet()) {
                try {
                    e.getValue().get(60, TimeUnit.SECONDS);
                } catch (ExecutionException ex) {
                    if (!(ex.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + e.getKey() + ": " + ex.getCause(), ex.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("timed out creating topics", e);
        }
    }

    /**
     * Stops the broker gracefully (controlled shutdown) and waits for it, keeping the storage
     * directory; {@link #start()} brings it back with its data.
     */
    public synchronized void stop() {
        if (server != null) {
            KafkaRaftServer s = server;
            server = null;
            s.shutdown();
            s.awaitShutdown();
        }
        if (child != null) {
            Process p = child;
            child = null;
            try {
                p.getOutputStream().close(); // the child shuts down when its standard input closes
            } catch (IOException ignored) {
                // already gone
            }
            waitFor(p, shutdownTimeout);
            if (p.isAlive()) {
                p.destroy();
                waitFor(p, Duration.ofSeconds(10));
            }
            if (p.isAlive()) {
                p.destroyForcibly();
                waitFor(p, Duration.ofSeconds(10));
            }
        }
    }

    /**
     * Kills the child broker JVM at once (SIGKILL, no controlled shutdown), like a crash; for a
     * broker in this JVM it is the same as {@link #stop()}. The directory is kept for a restart.
     */
    public synchronized void kill() {
        if (child != null) {
            Process p = child;
            child = null;
            p.destroyForcibly();
            waitFor(p, Duration.ofSeconds(30));
        } else {
            stop();
        }
    }

    /** Stops the broker and deletes the storage directory (unless told to keep it). */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            stop();
        } finally {
            if (deleteOnClose) {
                deleteRecursively(root);
            }
        }
    }

    /** The broker configuration this instance runs with (also what a child JVM is given). */
    Properties brokerProperties() {
        return brokerProperties(root.resolve("data"), brokerPort, controllerPort, overrides);
    }

    static Properties brokerProperties(Path dataDir, int brokerPort, int controllerPort, Map<String, String> overrides) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(NODE_ID));
        p.put("controller.quorum.bootstrap.servers", LOOPBACK + ":" + controllerPort);
        p.put("listeners", BROKER_LISTENER + "://" + LOOPBACK + ":" + brokerPort + ","
                + CONTROLLER_LISTENER + "://" + LOOPBACK + ":" + controllerPort);
        p.put("advertised.listeners", BROKER_LISTENER + "://" + LOOPBACK + ":" + brokerPort + ","
                + CONTROLLER_LISTENER + "://" + LOOPBACK + ":" + controllerPort);
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        p.put("inter.broker.listener.name", BROKER_LISTENER);
        p.put("listener.security.protocol.map", BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        p.put("log.dirs", dataDir.toString());
        // one node: every internal topic has one replica, so exactly-once (transactions) works
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("num.partitions", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "false");
        // after a kill, the restarted node re-registers only once its old session expired (default 9 s)
        p.put("broker.heartbeat.interval.ms", "1000");
        p.put("broker.session.timeout.ms", "4000");
        // small footprint: this machine runs the service and the broker together
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "2");
        p.put("background.threads", "2");
        p.put("num.recovery.threads.per.data.dir", "1");
        p.put("log.segment.bytes", Integer.toString(8 * 1024 * 1024));
        p.put("log.cleaner.threads", "1");
        p.put("log.cleaner.dedupe.buffer.size", Integer.toString(8 * 1024 * 1024));
        p.put("log.cleaner.backoff.ms", "1000");
        p.put("log.retention.check.interval.ms", "60000");
        overrides.forEach(p::put);
        return p;
    }

    private void formatIfNeeded() throws Exception {
        Path data = root.resolve("data");
        Path meta = data.resolve("meta.properties");
        if (Files.exists(meta)) {
            Properties m = new Properties();
            try (var in = Files.newInputStream(meta)) {
                m.load(in);
            }
            clusterId = m.getProperty("cluster.id");
            return;
        }
        String id = Uuid.randomUuid().toString();
        // the equivalent of `kafka-storage format --standalone`: this node is the single initial voter
        DynamicVoters voters = DynamicVoters.parse(NODE_ID + "@" + LOOPBACK + ":" + controllerPort + ":" + Uuid.randomUuid());
        new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8))
                .setNodeId(NODE_ID)
                .setClusterId(id)
                .setControllerListenerName(CONTROLLER_LISTENER)
                .setMetadataLogDirectory(data.toString())
                .setDirectories(Set.of(data.toString()))
                .setHasDynamicQuorum(true)
                .setInitialControllers(voters)
                .run();
        clusterId = id;
    }

    private void startChild() throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = new ArrayList<>();
        cmd.add(java.toString());
        cmd.addAll(childJvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(EmbeddedKafka.class.getName());
        cmd.add(root.resolve("data").toString());
        cmd.add(Integer.toString(brokerPort));
        cmd.add(Integer.toString(controllerPort));
        overrides.forEach((k, v) -> cmd.add(k + "=" + v));
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(childLogFile().toFile()));
        child = pb.start();
    }

    private void awaitReady(long t0) throws InterruptedException {
        long deadline = t0 + startupTimeout.toNanos();
        Exception last = null;
        // first the listening socket (a plain connect, so the Admin client logs no failed connections), then the node
        while (!accepting()) {
            if (childProcess && (child == null || !child.isAlive())) {
                throw new IllegalStateException("the broker JVM exited with "
                        + (child == null ? "?" : child.exitValue()) + "; its log:\n" + logTail());
            }
            if (System.nanoTime() >= deadline) {
                throw new IllegalStateException("embedded Kafka not listening on " + bootstrapServers()
                        + " within " + startupTimeout + (childProcess ? "; its log:\n" + logTail() : ""));
            }
            Thread.sleep(50); // poll interval between checks of the condition
        }
        try (Admin admin = Admin.create(adminProperties())) {
            while (System.nanoTime() < deadline) {
                if (childProcess && (child == null || !child.isAlive())) {
                    throw new IllegalStateException("the broker JVM exited with "
                            + (child == null ? "?" : child.exitValue()) + "; its log:\n" + logTail());
                }
                try {
                    Collection<Node> nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs(2_000))
                            .nodes().get(3, TimeUnit.SECONDS);
                    if (nodes.stream().anyMatch(n -> n.id() == NODE_ID)) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    last = e;
                }
                Thread.sleep(50); // poll interval between checks of the condition, not a wait for start-up
            }
        }
        throw new IllegalStateException("embedded Kafka not ready within " + startupTimeout
                + (last == null ? "" : " (last error: " + last + ")")
                + (childProcess ? "; its log:\n" + logTail() : ""));
    }

    private boolean accepting() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getByName(LOOPBACK), brokerPort), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(childLogFile(), StandardCharsets.UTF_8);
            return lines.subList(Math.max(0, lines.size() - 40), lines.size()).stream().collect(Collectors.joining("\n"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private void stopQuietly() {
        try {
            stop();
        } catch (RuntimeException ignored) {
            // the start failure is what matters
        }
    }

    private static void waitFor(Process p, Duration timeout) {
        try {
            p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A port that is free on 127.0.0.1 now. */
    static int freeLoopbackPort() {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes a folder and everything in it (nothing when it does not exist); used for test and broker folders. */
    public static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    /**
     * Sets slf4j-simple's level of the broker's loggers to WARN, unless already set by a system
     * property; it takes effect for loggers created afterwards (the broker's are created when it
     * starts). Client and Kafka Streams loggers are left alone, except the configuration dumps
     * and the Admin client (whose retries while the broker starts are logged at INFO).
     */
    public static void quietBrokerLogging() {
        // org.apache.kafka.controller is left to simplelogger.properties (error): its only WARN is the routine
        // "Performing controller activation" of a fresh single-node cluster
        for (String logger : List.of("kafka", "state.change.logger", "org.apache.kafka.server",
                "org.apache.kafka.raft", "org.apache.kafka.metadata",
                "org.apache.kafka.image", "org.apache.kafka.storage", "org.apache.kafka.coordinator",
                "org.apache.kafka.queue", "org.apache.kafka.snapshot", "org.apache.kafka.security",
                "org.apache.kafka.network", "org.apache.kafka.common.config.AbstractConfig",
                "org.apache.kafka.common.utils.AppInfoParser", "org.apache.kafka.common.metrics",
                "org.apache.kafka.common.network", "org.apache.kafka.common.security",
                "org.apache.kafka.common.telemetry", "org.apache.kafka.clients.admin")) {
            String key = "org.slf4j.simpleLogger.log." + logger;
            if (System.getProperty(key) == null) {
                System.setProperty(key, "warn");
            }
        }
    }

    /**
     * The entry point of a child broker JVM: {@code DATA_DIR BROKER_PORT CONTROLLER_PORT
     * [key=value...]} on an already formatted directory. It prints {@link #CHILD_STARTED_MARKER}
     * once started and shuts down gracefully when its standard input closes (the parent stopped
     * it or died) or on SIGTERM.
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: EmbeddedKafka DATA_DIR BROKER_PORT CONTROLLER_PORT [key=value...]");
            System.exit(2);
        }
        Map<String, String> extra = new LinkedHashMap<>();
        for (int i = 3; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("not key=value: " + args[i]);
            }
            extra.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        Properties props = brokerProperties(Path.of(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]), extra);
        KafkaRaftServer s = new KafkaRaftServer(KafkaConfig.fromProps(props), Time.SYSTEM);
        Thread hook = new Thread(() -> {
            s.shutdown();
            s.awaitShutdown();
        }, "embedded-kafka-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        s.startup();
        System.out.println(CHILD_STARTED_MARKER);
        System.out.flush();
        Thread stdinWatcher = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                while (in.readLine() != null) {
                    // nothing is sent; end of input is the signal
                }
            } catch (IOException ignored) {
                // treated as end of input
            }
            System.exit(0); // runs the shutdown hook
        }, "embedded-kafka-stdin");
        stdinWatcher.setDaemon(true);
        stdinWatcher.start();
        s.awaitShutdown();
    }

    /** Options of an {@link EmbeddedKafka}; {@link #build()} makes an instance that is not started. */
    public static final class Builder {
        private Path storageDirectory;
        private boolean deleteOnClose = true;
        private int brokerPort;
        private int controllerPort;
        private Duration startupTimeout = Duration.ofSeconds(60);
        private Duration shutdownTimeout = Duration.ofSeconds(30);
        private final Map<String, String> overrides = new LinkedHashMap<>();
        private boolean childProcess;
        private final List<String> childJvmOptions = new ArrayList<>(List.of("-Xms64m", "-Xmx768m", "-XX:+UseSerialGC"));

        private Builder() {
        }

        /** The directory to keep the data in (created if missing); default a new temporary one. */
        public Builder storageDirectory(Path dir, boolean deleteOnClose) {
            this.storageDirectory = Objects.requireNonNull(dir);
            this.deleteOnClose = deleteOnClose;
            return this;
        }

        /** The broker listener's port on 127.0.0.1; default a free one, kept across restarts. */
        public Builder brokerPort(int port) {
            this.brokerPort = port;
            return this;
        }

        /** The controller listener's port on 127.0.0.1; default a free one, kept across restarts. */
        public Builder controllerPort(int port) {
            this.controllerPort = port;
            return this;
        }

        /** How long {@link EmbeddedKafka#start()} waits for a ready broker; default 60 s. */
        public Builder startupTimeout(Duration timeout) {
            this.startupTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        /** How long a graceful stop of a child JVM may take before it is killed; default 30 s. */
        public Builder shutdownTimeout(Duration timeout) {
            this.shutdownTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        /** A broker configuration entry overriding the defaults (listeners excepted, keep them). */
        public Builder brokerConfig(String key, String value) {
            overrides.put(Objects.requireNonNull(key), Objects.requireNonNull(value));
            return this;
        }

        /** Whether to run the broker in a child JVM with this JVM's class path; default false. */
        public Builder childProcess(boolean child) {
            this.childProcess = child;
            return this;
        }

        /** The JVM options of the child JVM, replacing the default {@code -Xms64m -Xmx768m -XX:+UseSerialGC}. */
        public Builder childJvmOptions(List<String> options) {
            childJvmOptions.clear();
            childJvmOptions.addAll(options);
            return this;
        }

        /** Makes the instance (picking free ports, creating the directory); not started yet. */
        public EmbeddedKafka build() {
            try {
                return new EmbeddedKafka(this);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
