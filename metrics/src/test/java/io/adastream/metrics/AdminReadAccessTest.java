package io.adastream.metrics;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import static io.adastream.metrics.OpsServerTest.assertError;
import static io.adastream.metrics.OpsServerTest.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Who may read domain data ({@code admin.token}, {@code admin.read.open}) and where the port listens ({@code http.bind.address}). */
class AdminReadAccessTest {

    static final String TOKEN = "read-token-123";
    static final List<String> READS = List.of("/domains", "/domains/cam-1/snapshot", "/domains/cam-1/model.onnx");

    OpsServer server;

    OpsServer start(String bind, String token, boolean readsOpen) throws IOException {
        server = OpsServer.start(new OpsServer.Settings(bind, 0, Duration.ofSeconds(10), token, readsOpen),
                new PrometheusRegistry(), () -> "RUNNING", OpsServerTest.ONE_DOMAIN_DIRECTORY);
        return server;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void withATokenReadsOfDomainDataNeedIt() throws IOException {
        start("127.0.0.1", TOKEN, false);
        for (String path : READS) {
            OpsServerTest.Response none = request(server, "GET", path, null);
            assertError(none, 401, "Bearer");
            assertEquals("Bearer realm=\"adastream\"", none.header("www-authenticate"), path);
            assertError(request(server, "GET", path, "Bearer " + TOKEN + "-wrong"), 401, "Bearer");
            assertError(request(server, "GET", path, "Bearer " + TOKEN.substring(1)), 401, "Bearer");
            assertError(request(server, "GET", path, "Basic " + TOKEN), 401, "Bearer");
            assertEquals(200, request(server, "GET", path, "Bearer " + TOKEN).status(), path);
        }
        // an unauthenticated client learns nothing, not even whether an id is valid or known
        assertError(request(server, "GET", "/domains/cam-9/snapshot", null), 401, "Bearer");
        assertError(request(server, "GET", "/domains/-bad/snapshot", null), 401, "Bearer");
    }

    @Test
    void metricsAndHealthStayOpenWithAToken() throws IOException {
        start("127.0.0.1", TOKEN, false);
        assertEquals(200, request(server, "GET", "/metrics", null).status());
        assertEquals(200, request(server, "GET", "/health/live", null).status());
        assertEquals(200, request(server, "GET", "/health/ready", null).status());
    }

    @Test
    void readsCanBeOpenedWhileWritesStillNeedTheToken() throws IOException {
        start("127.0.0.1", TOKEN, true);
        for (String path : READS) {
            assertEquals(200, request(server, "GET", path, null).status(), path);
        }
        assertError(request(server, "POST", "/domains/cam-1/reset", null), 401, "Bearer");
        assertEquals(202, request(server, "POST", "/domains/cam-1/reset", "Bearer " + TOKEN).status());
    }

    @Test
    void withoutATokenReadsAreOpenAndWritesForbidden() throws IOException {
        start("127.0.0.1", null, false);
        for (String path : READS) {
            assertEquals(200, request(server, "GET", path, null).status(), path);
        }
        assertError(request(server, "POST", "/domains/cam-1/reset", "Bearer anything"), 403, "disabled");
    }

    @Test
    void bindsTheConfiguredAddressOnly() throws IOException {
        start("127.0.0.1", TOKEN, false);
        assertTrue(server.address().getAddress().isLoopbackAddress(), server.address().toString());
        Optional<InetAddress> other = nonLoopbackAddress();
        assumeTrue(other.isPresent(), "this machine has no non-loopback IPv4 address to try the port on");
        assertThrows(ConnectException.class, () -> new Socket(other.get(), server.port()).close(),
                "port bound to 127.0.0.1 answered on " + other.get());
    }

    @Test
    void theDefaultBindsEveryInterface() throws IOException {
        start(null, TOKEN, false);
        assertTrue(server.address().getAddress().isAnyLocalAddress(), server.address().toString());
        assertEquals(OpsServer.DEFAULT_BIND_ADDRESS, "0.0.0.0");
        assertEquals(200, request(server, "GET", "/health/live", null).status());
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws SocketException {
        for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nif.isUp() || nif.isLoopback()) {
                continue;
            }
            for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress()) {
                    return Optional.of(a);
                }
            }
        }
        return Optional.empty();
    }
}
