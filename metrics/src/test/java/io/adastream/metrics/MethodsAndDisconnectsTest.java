package io.adastream.metrics;

import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static io.adastream.metrics.OpsServerTest.assertError;
import static io.adastream.metrics.OpsServerTest.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Only the documented methods are answered (405 with {@code Allow} otherwise), and a scrape cut short logs one debug line. */
class MethodsAndDisconnectsTest {

    static final String TOKEN = "methods-token";
    OpsServer server;

    @AfterEach
    void stop() {
        server.close();
    }

    OpsServer start(PrometheusRegistry registry) throws IOException {
        server = OpsServer.start(new OpsServer.Settings("127.0.0.1", 0, Duration.ofSeconds(10), TOKEN, false),
                registry, () -> "RUNNING", OpsServerTest.ONE_DOMAIN_DIRECTORY);
        return server;
    }

    @Test
    void onlyGetAndHeadOnMetricsAndHealth() throws IOException {
        start(new PrometheusRegistry());
        for (String path : List.of("/metrics", "/health/live", "/health/ready")) {
            for (String method : List.of("PUT", "DELETE", "TRACE", "POST", "PATCH", "OPTIONS", "BREW")) {
                OpsServerTest.Response r = request(server, method, path, null);
                assertError(r, 405, "not allowed");
                assertEquals("GET, HEAD", r.header("allow"), method + " " + path);
            }
            OpsServerTest.Response head = request(server, "HEAD", path, null);
            assertEquals(200, head.status(), "HEAD " + path);
            assertEquals(0, head.body().length, "HEAD " + path + " has no body");
        }
        assertTrue(request(server, "HEAD", "/metrics", null).header("content-type").startsWith("text/plain"));
    }

    @Test
    void theAdminApiAnswersItsDocumentedMethodsOnly() throws IOException {
        start(new PrometheusRegistry());
        String auth = "Bearer " + TOKEN;
        for (String method : List.of("PUT", "DELETE", "TRACE", "POST", "PATCH", "OPTIONS")) {
            for (String path : List.of("/domains", "/domains/cam-1/snapshot", "/domains/cam-1/model.onnx")) {
                OpsServerTest.Response r = request(server, method, path, auth);
                assertError(r, 405, "not allowed");
                assertEquals("GET, HEAD", r.header("allow"), method + " " + path);
            }
        }
        for (String method : List.of("GET", "HEAD", "PUT", "DELETE", "TRACE", "PATCH", "OPTIONS")) {
            OpsServerTest.Response r = request(server, method, "/domains/cam-1/reset", auth);
            assertEquals(405, r.status(), method);
            assertEquals("POST", r.header("allow"), method);
        }
        assertEquals(200, request(server, "HEAD", "/domains", auth).status());
    }

    @Test
    void aClientLeavingMidScrapeLogsOneDebugLineAndNothingLouder() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        Gauge big = Gauge.builder().name("big_test_gauge").help("padding").labelNames("pad").register(registry);
        String pad = "p".repeat(4_000);
        for (int i = 0; i < 5_000; i++) {          // about 20 MB of exposition text: more than the socket buffers hold
            big.labelValues(pad + i).set(i);
        }
        start(registry);
        Capture capture = Capture.install();
        try {
            try (Socket s = new Socket()) {
                s.setReceiveBufferSize(4096);
                s.connect(new java.net.InetSocketAddress("127.0.0.1", server.port()));
                s.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                InputStream in = s.getInputStream();
                byte[] first = in.readNBytes(4096);
                assertTrue(new String(first, StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 200"));
                s.setSoLinger(true, 0);          // leave with a reset, mid-response
            }
            assertTrue(capture.reported.await(20, TimeUnit.SECONDS), "the server noticed the client left: " + capture.summary());
            List<LogRecord> loud = capture.records.stream().filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue()).toList();
            assertTrue(loud.isEmpty(), "no WARN or SEVERE record for a client that left: " + capture.summary());
            LogRecord line = capture.records.stream().filter(Capture::isUndelivered).findFirst().orElseThrow();
            assertEquals(Level.FINE, line.getLevel(), "debug level");
            assertNull(line.getThrown(), "no stack trace");
            assertTrue(!Capture.text(line).contains("\n"), "one line: " + Capture.text(line));
        } finally {
            capture.remove();
        }
        assertEquals(200, request(server, "GET", "/health/live", null).status(), "the port still serves");
    }

    /** Every record of every logger (the server's, Jetty's, the Prometheus client's), at debug level and above. */
    static final class Capture extends Handler {
        final List<LogRecord> records = new CopyOnWriteArrayList<>();
        final CountDownLatch reported = new CountDownLatch(1);
        private final Logger ours = Logger.getLogger("io.adastream.metrics");
        private Level oursBefore;

        static Capture install() {
            Capture c = new Capture();
            c.setLevel(Level.ALL);
            c.oursBefore = c.ours.getLevel();
            c.ours.setLevel(Level.FINE);
            Logger.getLogger("").addHandler(c);
            return c;
        }

        void remove() {
            Logger.getLogger("").removeHandler(this);
            ours.setLevel(oursBefore);
        }

        static boolean isUndelivered(LogRecord r) {
            return r.getLoggerName() != null && r.getLoggerName().startsWith("io.adastream.metrics")
                    && text(r).contains("not delivered");
        }

        static String text(LogRecord r) {
            String m = r.getMessage() == null ? "" : r.getMessage();
            Object[] p = r.getParameters();
            if (p != null) {
                for (Object o : p) {
                    m = m.replaceFirst("\\{}", java.util.regex.Matcher.quoteReplacement(String.valueOf(o)));
                }
            }
            return m;
        }

        String summary() {
            StringBuilder b = new StringBuilder();
            records.forEach(r -> b.append(r.getLevel()).append(' ').append(r.getLoggerName()).append(": ").append(text(r))
                    .append(r.getThrown() == null ? "" : " [" + r.getThrown() + "]").append('\n'));
            return b.toString();
        }

        @Override
        public void publish(LogRecord r) {
            records.add(r);
            if (r.getLevel().intValue() >= Level.WARNING.intValue() || isUndelivered(r)) {
                reported.countDown();
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
