package io.adastream.metrics;

import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The service's one HTTP port: {@code /metrics} (Prometheus text, OpenMetrics or protobuf by content negotiation),
 * {@code /health/live}, {@code /health/ready} and the domain admin API ({@link AdminHandler}).
 */
public final class OpsServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor;

    private OpsServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Binds and starts the server.
     *
     * @param port       the port (0 picks a free one; see {@link #port()})
     * @param registry   what {@code /metrics} serves
     * @param state      the streams state; {@code /health/ready} is 200 only while it is {@code RUNNING}
     * @param directory  the live domains behind the admin API
     * @param adminToken the token admin writes need; null or blank disables them (403)
     * @throws IOException if the port cannot be bound
     */
    public static OpsServer start(String host, int port, PrometheusRegistry registry, Supplier<String> state,
                                  DomainDirectory directory, String adminToken) throws IOException {
        HttpServer server = HttpServer.create(host == null ? new InetSocketAddress(port) : new InetSocketAddress(host, port), 64);
        AtomicInteger n = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "adastream-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/metrics", new MetricsHandler(registry));
        server.createContext("/health/", new HealthHandler(state));
        server.createContext("/domains", new AdminHandler(directory, BearerToken.of(adminToken)));
        server.createContext("/", ex -> Responses.error(ex, 404, "no such endpoint; see /metrics, /health/live, /health/ready, /domains"));
        server.start();
        return new OpsServer(server, executor);
    }

    /** The bound port. */
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
