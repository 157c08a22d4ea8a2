package io.adastream.metrics;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The service's one HTTP port: {@code /metrics} (Prometheus text, OpenMetrics or protobuf by content negotiation),
 * {@code /health/live}, {@code /health/ready} and the domain admin API ({@link AdminHandler}), on Jetty's core
 * server. Request heads are parsed without holding a thread, so slow clients cannot take the threads the endpoints
 * need; a connection that has not sent a complete request head within the request timeout (after it opened or after
 * its previous response) is closed, and so is one that stays silent or stops reading its response for that long.
 */
public final class OpsServer implements AutoCloseable {

    /** Every interface: what Prometheus in another container and the other instances' admin API need. */
    public static final String DEFAULT_BIND_ADDRESS = "0.0.0.0";
    /** Open connections at most; past it new ones wait in the accept queue until one closes. */
    static final int MAX_CONNECTIONS = 1_000;
    /** Request line and headers at most, in bytes (a larger head is answered 431). */
    static final int MAX_REQUEST_HEAD_BYTES = 8_192;
    private static final int MAX_THREADS = 16;

    /**
     * Where and how the port serves.
     *
     * @param bindAddress    the address to bind (an IP literal or host name); null or blank is {@link #DEFAULT_BIND_ADDRESS}
     * @param port           the port (0 picks a free one; see {@link #port()})
     * @param requestTimeout how long a connection may take to send a complete request head, stay idle or stall a response
     * @param adminToken     the bearer token of the admin API; null or blank disables writes (403) and leaves reads open
     * @param adminReadsOpen reads of domain data need no token even when one is configured
     */
    public record Settings(String bindAddress, int port, Duration requestTimeout, String adminToken, boolean adminReadsOpen) {
        public Settings {
            if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()) {
                throw new IllegalArgumentException("the request timeout must be positive, got " + requestTimeout);
            }
        }

        String host() {
            return bindAddress == null || bindAddress.isBlank() ? DEFAULT_BIND_ADDRESS : bindAddress.trim();
        }
    }

    private final Server server;
    private final ServerConnector connector;

    private OpsServer(Server server, ServerConnector connector) {
        this.server = server;
        this.connector = connector;
    }

    /**
     * Binds and starts the server.
     *
     * @param settings  address, port, timeout and admin access
     * @param registry  what {@code /metrics} serves
     * @param state     the streams state; {@code /health/ready} is 200 only while it is {@code RUNNING}
     * @param directory the live domains behind the admin API
     * @throws IOException if the address cannot be bound
     */
    public static OpsServer start(Settings settings, PrometheusRegistry registry, Supplier<String> state,
                                  DomainDirectory directory) throws IOException {
        QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 2);
        threads.setName("adastream-http");
        threads.setDaemon(true);
        threads.setReservedThreads(0);
        Server server = new Server(threads);
        server.setStopAtShutdown(false);

        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setRequestHeaderSize(MAX_REQUEST_HEAD_BYTES);
        // the admin API checks ids on the raw path itself, strictly; Jetty's own refusals would answer first, in another shape
        http.setUriCompliance(UriCompliance.LEGACY);
        ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(settings.host());
        connector.setPort(settings.port());
        connector.setIdleTimeout(settings.requestTimeout().toMillis());
        server.addConnector(connector);
        server.addBean(new NetworkConnectionLimit(MAX_CONNECTIONS, connector));

        RequestHeadDeadline deadline = new RequestHeadDeadline(new Routes(new MetricsEndpoint(registry),
                new HealthHandler(state), new AdminHandler(directory, BearerToken.of(settings.adminToken()),
                settings.adminReadsOpen())), settings.requestTimeout());
        connector.addBean(deadline, false);
        server.setHandler(deadline);
        server.setErrorHandler(new JsonErrorHandler());
        try {
            server.start();
        } catch (IOException e) {
            stopQuietly(server);
            throw e;
        } catch (Exception e) {
            stopQuietly(server);
            throw new IOException(e.getMessage(), e);
        }
        return new OpsServer(server, connector);
    }

    /** The bound port. */
    public int port() {
        return connector.getLocalPort();
    }

    /** The bound address and port. */
    public InetSocketAddress address() {
        return new InetSocketAddress(connector.getHost(), port());
    }

    @Override
    public void close() {
        stopQuietly(server);
    }

    private static void stopQuietly(Server server) {
        try {
            server.stop();
        } catch (Exception e) {
            // closing: nothing left to serve
        }
    }
}
