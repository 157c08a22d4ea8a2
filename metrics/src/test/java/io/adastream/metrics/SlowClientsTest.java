package io.adastream.metrics;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * 200 clients that send one header line every 500 ms and never finish their request head: the port still answers
 * {@code /metrics} and {@code /health/live} within 1 s, and every slow client is cut off once the request timeout has
 * passed, not before. Loopback only.
 */
class SlowClientsTest {

    static final int SLOW_CLIENTS = 200;
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(8);   // wide: connecting 200 clients and four probes must fit before it
    static final long ANSWER_DEADLINE_MS = 1_000;

    final List<Socket> slow = new ArrayList<>();
    final ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
    OpsServer server;

    @AfterEach
    void stop() throws IOException {
        trickle.shutdownNow();
        for (Socket s : slow) {
            s.close();
        }
        server.close();
    }

    @Test
    void slowClientsNeitherBlockTheEndpointsNorStayConnected() throws Exception {
        AdaStreamMetrics metrics = new AdaStreamMetrics(new PrometheusRegistry(), 10);
        metrics.frame("cam-1", "folded", 0.001, 0.001, 0.01);
        server = OpsServer.start(new OpsServer.Settings("127.0.0.1", 0, REQUEST_TIMEOUT, null, false),
                metrics.registry(), () -> "RUNNING", OpsServerTest.EMPTY_DIRECTORY);

        long connectedNanos = System.nanoTime();
        for (int i = 0; i < SLOW_CLIENTS; i++) {
            Socket s = new Socket("127.0.0.1", server.port());
            s.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: localhost\r\n".getBytes(StandardCharsets.ISO_8859_1));
            slow.add(s);
        }
        trickle.scheduleAtFixedRate(this::sendOneHeaderLineEach, 500, 500, TimeUnit.MILLISECONDS);

        for (String path : List.of("/metrics", "/health/live", "/metrics", "/health/live")) {
            long start = System.nanoTime();
            int status = statusWithin(path, ANSWER_DEADLINE_MS);
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertEquals(200, status, path);
            assertTrue(ms < ANSWER_DEADLINE_MS, path + " took " + ms + " ms");
            System.out.printf("with %d slow clients connected, %s answered in %d ms%n", SLOW_CLIENTS, path, ms);
        }
        long probesDoneMs = (System.nanoTime() - connectedNanos) / 1_000_000;
        assertTrue(probesDoneMs < REQUEST_TIMEOUT.toMillis(), "the probes ran while the slow clients were connected: " + probesDoneMs + " ms");

        long latestAllowedMs = REQUEST_TIMEOUT.toMillis() + 5_000;   // generous: the machine may be busy
        long earliestCutMs = Long.MAX_VALUE;
        long latestCutMs = 0;
        for (Socket s : slow) {
            long cutMs = cutOffAfterMs(s, connectedNanos, latestAllowedMs);
            earliestCutMs = Math.min(earliestCutMs, cutMs);
            latestCutMs = Math.max(latestCutMs, cutMs);
        }
        // they kept sending, so only the request timeout can have cut them (an idle timeout would not)
        assertTrue(earliestCutMs >= REQUEST_TIMEOUT.toMillis() - 100, "first slow client cut after " + earliestCutMs + " ms");
        assertTrue(latestCutMs <= latestAllowedMs, "last slow client cut after " + latestCutMs + " ms");
        System.out.printf("slow clients cut off %d to %d ms after connecting (request timeout %d ms)%n",
                earliestCutMs, latestCutMs, REQUEST_TIMEOUT.toMillis());
    }

    private void sendOneHeaderLineEach() {
        for (int i = 0; i < slow.size(); i++) {
            try {
                slow.get(i).getOutputStream().write(("X-Slow-" + i + ": still typing\r\n").getBytes(StandardCharsets.ISO_8859_1));
            } catch (IOException e) {
                // cut off by the server: that is what the test waits for
            }
        }
    }

    /** Milliseconds from the connection until the server closed it; fails past the allowed time. */
    private static long cutOffAfterMs(Socket s, long connectedNanos, long latestAllowedMs) throws IOException {
        InputStream in = s.getInputStream();
        while (true) {
            long leftMs = latestAllowedMs - (System.nanoTime() - connectedNanos) / 1_000_000;
            if (leftMs <= 0) {
                fail("a slow client is still connected after " + latestAllowedMs + " ms");
            }
            s.setSoTimeout((int) leftMs);
            try {
                if (in.read(new byte[1024]) < 0) {
                    return (System.nanoTime() - connectedNanos) / 1_000_000;
                }
            } catch (SocketTimeoutException e) {
                fail("a slow client is still connected after " + latestAllowedMs + " ms");
            } catch (IOException e) {
                return (System.nanoTime() - connectedNanos) / 1_000_000; // reset by the server
            }
        }
    }

    /** The status of a GET, or a failure when no full status line came back within the deadline. */
    private int statusWithin(String path, long deadlineMs) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout((int) deadlineMs);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            byte[] head = s.getInputStream().readNBytes(12);
            String line = new String(head, StandardCharsets.ISO_8859_1);
            assertTrue(line.startsWith("HTTP/1.1 "), "status line: " + line);
            return Integer.parseInt(line.substring(9, 12));
        } catch (SocketTimeoutException e) {
            fail(path + " did not answer within " + deadlineMs + " ms");
            return -1;
        }
    }
}
