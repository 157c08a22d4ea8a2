package io.adastream.metrics;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The HTTP endpoints against a fake domain directory, over raw sockets (so paths go out exactly as written). */
class OpsServerTest {

    static final String TOKEN = "s3cret-token";
    static final String AUTH = "Bearer " + TOKEN;

    /** A directory with no domains. */
    static final DomainDirectory EMPTY_DIRECTORY = new FixedDirectory(Map.of());
    /** A directory with one domain, {@code cam-1}. */
    static final DomainDirectory ONE_DOMAIN_DIRECTORY = new FixedDirectory(Map.of("cam-1", new byte[]{9, 8, 7}));

    /** Fixed domains; resets are accepted for the known ones. */
    record FixedDirectory(Map<String, byte[]> snapshots) implements DomainDirectory {
        @Override
        public List<DomainSummary> domains(boolean localOnly) {
            return snapshots.keySet().stream().sorted().map(d -> new DomainSummary(d, 1, 1, "ema", false, 0, 1, 3, "")).toList();
        }

        @Override
        public Optional<byte[]> snapshot(String domain, boolean localOnly) {
            return Optional.ofNullable(snapshots.get(domain));
        }

        @Override
        public Optional<byte[]> modelOnnx(String domain, boolean localOnly) {
            return Optional.ofNullable(snapshots.get(domain));
        }

        @Override
        public boolean reset(String domain) {
            return snapshots.containsKey(domain);
        }
    }

    final Map<String, byte[]> snapshots = new ConcurrentHashMap<>(Map.of("cam-1", new byte[]{1, 2, 3}, "site.a:b-2", new byte[]{4}));
    final List<String> resets = new CopyOnWriteArrayList<>();
    final AtomicReference<String> state = new AtomicReference<>("REBALANCING");
    final AtomicReference<Boolean> unavailable = new AtomicReference<>(false);
    OpsServer server;

    final DomainDirectory directory = new DomainDirectory() {
        @Override
        public List<DomainSummary> domains(boolean localOnly) throws DirectoryUnavailableException {
            check();
            List<DomainSummary> out = new ArrayList<>();
            snapshots.keySet().stream().sorted().forEach(d -> out.add(new DomainSummary(d, 5, 6, "ema", false, 0, 7, 3, "")));
            return out;
        }

        @Override
        public Optional<byte[]> snapshot(String domain, boolean localOnly) throws DirectoryUnavailableException {
            check();
            return Optional.ofNullable(snapshots.get(domain));
        }

        @Override
        public Optional<byte[]> modelOnnx(String domain, boolean localOnly) throws DirectoryUnavailableException {
            check();
            return Optional.ofNullable(snapshots.get(domain)).map(b -> "onnx".getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public boolean reset(String domain) throws DirectoryUnavailableException {
            check();
            if (!snapshots.containsKey(domain)) {
                return false;
            }
            resets.add(domain);
            return true;
        }

        private void check() throws DirectoryUnavailableException {
            if (unavailable.get()) {
                throw new DirectoryUnavailableException("the streams app is rebalancing");
            }
        }
    };

    @BeforeEach
    void start() throws IOException {
        server = startWith(TOKEN);
    }

    OpsServer startWith(String token) throws IOException {
        AdaStreamMetrics metrics = new AdaStreamMetrics(new PrometheusRegistry(), 10);
        metrics.frame("cam-1", "folded", 0.001, 0.001, 0.01);
        return OpsServer.start(new OpsServer.Settings("127.0.0.1", 0, java.time.Duration.ofSeconds(10), token, false),
                metrics.registry(), state::get, directory);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void metricsAreServedInTheTextFormat() throws IOException {
        Response r = request(server, "GET", "/metrics", null);
        assertEquals(200, r.status);
        assertTrue(r.header("content-type").startsWith("text/plain"), r.headers.toString());
        assertTrue(r.text().contains("adastream_frames_total{domain=\"cam-1\",outcome=\"folded\"} 1.0"), r.text());
    }

    @Test
    void readyOnlyWhenRunning() throws IOException {
        assertEquals(200, request(server, "GET", "/health/live", null).status);
        Response notReady = request(server, "GET", "/health/ready", null);
        assertEquals(503, notReady.status);
        assertTrue(notReady.text().contains("\"state\":\"REBALANCING\""), notReady.text());
        state.set("RUNNING");
        assertEquals(200, request(server, "GET", "/health/ready", null).status);
        state.set("ERROR");
        assertEquals(503, request(server, "GET", "/health/ready", null).status);
    }

    @Test
    void listsDomainsAndDownloadsSnapshotsAndModels() throws IOException {
        Response list = request(server, "GET", "/domains", AUTH);
        assertEquals(200, list.status);
        assertTrue(list.text().startsWith("{\"count\":2,\"domains\":[{\"domain\":\"cam-1\",\"frames\":5"), list.text());
        Response snap = request(server, "GET", "/domains/cam-1/snapshot", AUTH);
        assertEquals(200, snap.status);
        assertEquals("application/octet-stream", snap.header("content-type"));
        assertArrayEquals(new byte[]{1, 2, 3}, snap.body);
        Response model = request(server, "GET", "/domains/site.a:b-2/model.onnx", AUTH);
        assertEquals(200, model.status);
        assertEquals("onnx", model.text());
        assertTrue(model.header("content-disposition").contains("site.a:b-2.onnx"));
    }

    @Test
    void unknownDomainsAre404() throws IOException {
        assertError(request(server, "GET", "/domains/cam-9/snapshot", AUTH), 404, "unknown domain 'cam-9'");
        assertError(request(server, "GET", "/domains/cam-9/model.onnx", AUTH), 404, "unknown domain");
        assertError(request(server, "POST", "/domains/cam-9/reset", "Bearer " + TOKEN), 404, "unknown domain");
        assertError(request(server, "GET", "/domains/cam-1/other", AUTH), 404, "no such endpoint");
        assertError(request(server, "GET", "/nothing", null), 404, "no such endpoint");
    }

    @Test
    void badDomainIdsAre400() throws IOException {
        for (String id : List.of("-starts-with-dash", ".hidden", "has%20space", "x".repeat(129), "caf%C3%A9", "a*b")) {
            Response r = request(server, "GET", "/domains/" + id + "/snapshot", AUTH);
            assertTrue(r.text().contains("invalid domain id"), id + " -> " + r.text());
            assertError(r, 400, "invalid domain id");
        }
        assertError(request(server, "POST", "/domains/bad%2Fid/reset", "Bearer " + TOKEN), 400, "invalid domain id");
        // an encoded NUL is refused by the server itself, before any handler, in the same JSON shape
        assertError(request(server, "GET", "/domains/%00/snapshot", AUTH), 400, "Bad Request");
    }

    @Test
    void pathTraversalNeverReachesAFile() throws IOException {
        for (String path : List.of("/domains/../snapshot", "/domains/..%2F..%2Fetc%2Fpasswd/snapshot",
                "/domains/%2e%2e/snapshot", "/domains/cam-1/../../etc/passwd",
                "/domains//snapshot", "/domains/cam-1/snapshot/../../../etc/passwd")) {
            Response r = request(server, "GET", path, AUTH);
            assertTrue(r.status == 400 || r.status == 404, path + " -> " + r.status);
            assertTrue(r.text().startsWith("{\"status\":" + r.status + ",\"error\":"), path + " -> " + r.text());
        }
        // a backslash is not even a legal URI character: the JDK server refuses it before any handler runs
        assertEquals(400, request(server, "GET", "/domains/..\\..\\etc/model.onnx", AUTH).status);
    }

    @Test
    void resetNeedsTheBearerToken() throws IOException {
        assertError(request(server, "POST", "/domains/cam-1/reset", null), 401, "Bearer");
        Response wrong = request(server, "POST", "/domains/cam-1/reset", "Bearer wrong-token");
        assertError(wrong, 401, "Bearer");
        assertEquals("Bearer realm=\"adastream\"", wrong.header("www-authenticate"));
        assertError(request(server, "POST", "/domains/cam-1/reset", "Bearer " + TOKEN + "x"), 401, "Bearer");
        assertError(request(server, "POST", "/domains/cam-1/reset", "Basic " + TOKEN), 401, "Bearer");
        assertTrue(resets.isEmpty());
        Response ok = request(server, "POST", "/domains/cam-1/reset", "Bearer " + TOKEN);
        assertEquals(202, ok.status, ok.text());
        assertEquals("{\"domain\":\"cam-1\",\"command\":\"reset\",\"status\":\"accepted\"}", ok.text());
        assertEquals(List.of("cam-1"), resets);
    }

    @Test
    void writesAreForbiddenWithoutAConfiguredToken() throws IOException {
        server.close();
        server = startWith("");
        assertError(request(server, "POST", "/domains/cam-1/reset", "Bearer "), 403, "disabled");
        assertError(request(server, "POST", "/domains/cam-1/reset", "Bearer " + TOKEN), 403, "disabled");
        assertTrue(resets.isEmpty());
    }

    @Test
    void wrongMethodsAre405() throws IOException {
        assertError(request(server, "GET", "/domains/cam-1/reset", AUTH), 405, "POST");
        assertError(request(server, "DELETE", "/domains/cam-1/snapshot", AUTH), 405, "GET");
        assertError(request(server, "POST", "/domains", "Bearer " + TOKEN), 405, "GET");
        assertError(request(server, "POST", "/health/ready", null), 405, "not allowed");
    }

    @Test
    void unavailableDirectoryIs503() throws IOException {
        unavailable.set(true);
        Response r = request(server, "GET", "/domains", AUTH);
        assertError(r, 503, "rebalancing");
        assertEquals("5", r.header("retry-after"));
    }

    static void assertError(Response r, int status, String reasonPart) {
        assertEquals(status, r.status, r.text());
        assertEquals("application/json; charset=utf-8", r.header("content-type"));
        assertTrue(r.text().startsWith("{\"status\":" + status + ",\"error\":\""), r.text());
        assertTrue(r.text().contains(reasonPart), r.text());
    }

    record Response(int status, Map<String, String> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String header(String name) {
            return headers.getOrDefault(name, "");
        }
    }

    /** One HTTP/1.1 request with the path sent byte for byte as given (no client-side normalisation). */
    static Response request(OpsServer server, String method, String rawPath, String authorization) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            StringBuilder req = new StringBuilder(method + " " + rawPath + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
            if (authorization != null) {
                req.append("Authorization: ").append(authorization).append("\r\n");
            }
            req.append("Content-Length: 0\r\n\r\n");
            OutputStream out = s.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            byte[] all = readAll(s.getInputStream());
            int split = indexOf(all, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            String head = new String(all, 0, split, StandardCharsets.ISO_8859_1);
            String[] lines = head.split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            Map<String, String> headers = new java.util.HashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int c = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, c).trim().toLowerCase(java.util.Locale.ROOT), lines[i].substring(c + 1).trim());
            }
            byte[] body = java.util.Arrays.copyOfRange(all, split + 4, all.length);
            if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                body = dechunk(body);
            }
            return new Response(status, headers, body);
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        in.transferTo(b);
        return b.toByteArray();
    }

    private static int indexOf(byte[] a, byte[] p) {
        outer:
        for (int i = 0; i + p.length <= a.length; i++) {
            for (int j = 0; j < p.length; j++) {
                if (a[i + j] != p[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalStateException("no end of headers");
    }

    private static byte[] dechunk(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < body.length) {
            int eol = i;
            while (body[eol] != '\r') {
                eol++;
            }
            int size = Integer.parseInt(new String(body, i, eol - i, StandardCharsets.ISO_8859_1).trim(), 16);
            if (size == 0) {
                break;
            }
            out.write(body, eol + 2, size);
            i = eol + 2 + size + 2;
        }
        return out.toByteArray();
    }
}
