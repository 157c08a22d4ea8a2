package io.adastream.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.awaitility.Awaitility.await;

/**
 * The service as a deployment runs it: {@code adastream run --config FILE} in its own JVM (this JVM's class path),
 * its output in a log file per start. {@link #kill()} is kill -9; {@link #stop()} is SIGTERM (a clean shutdown).
 */
final class ServiceProcess implements AutoCloseable {

    static final String RUNNING = "-> RUNNING";

    private final String name;
    private final Path config;
    private final Path logDir;
    private final String heap;
    private Process process;
    private Path log;
    private int starts;
    private long startedAt;

    ServiceProcess(String name, Path config, Path logDir, String heap) {
        this.name = name;
        this.config = config;
        this.logDir = logDir;
        this.heap = heap;
    }

    /** Starts the JVM (a new log file each time). */
    ServiceProcess start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is running");
        }
        starts++;
        log = logDir.resolve(name + "-" + starts + ".log");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + heap);
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-Dorg.slf4j.simpleLogger.showDateTime=true");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("io.adastream.cli.AdaStreamCli");
        cmd.add("run");
        cmd.add("--config");
        cmd.add(config.toString());
        try {
            Files.createDirectories(logDir);
            startedAt = System.nanoTime();
            process = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Waits until Kafka Streams reports RUNNING in this start's log; returns seconds since the JVM was launched. */
    double awaitRunning(Duration timeout) {
        await(name + " (start " + starts + ") RUNNING").atMost(timeout)
                .failFast(() -> assertTrue(process.isAlive(), () -> name + " exited with " + process.exitValue() + ":\n" + tail(40)))
                .untilAsserted(() -> assertTrue(logText().contains(RUNNING), () -> tail(15)));
        return Elapsed.seconds(System.nanoTime() - startedAt);
    }

    /** kill -9: no shutdown hook, no commit, no clean close. */
    void kill() {
        process.destroyForcibly();
        waitExit(Duration.ofSeconds(30));
    }

    /** SIGTERM: the shutdown hook closes Kafka Streams cleanly (commits, leaves the group). Returns seconds taken. */
    double stop() {
        long t0 = System.nanoTime();
        process.destroy();
        waitExit(Duration.ofSeconds(90));
        return Elapsed.seconds(System.nanoTime() - t0);
    }

    private void waitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
                throw new AssertionError(name + " did not exit within " + timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    String logText() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    String tail(int lines) {
        List<String> all = logText().lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    int starts() {
        return starts;
    }

    /** All of this service's log files, concatenated (for counting events over restarts). */
    String allLogs() {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= starts; i++) {
            try {
                Path p = logDir.resolve(name + "-" + i + ".log");
                if (Files.exists(p)) {
                    sb.append(Files.readString(p, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return sb.toString();
    }

    @Override
    public void close() {
        if (alive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
