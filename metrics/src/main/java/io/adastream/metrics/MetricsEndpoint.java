package io.adastream.metrics;

import io.prometheus.metrics.exporter.common.PrometheusHttpExchange;
import io.prometheus.metrics.exporter.common.PrometheusHttpRequest;
import io.prometheus.metrics.exporter.common.PrometheusHttpResponse;
import io.prometheus.metrics.exporter.common.PrometheusScrapeHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /metrics}: the Prometheus client's scrape handler (content negotiation, gzip, {@code name[]} filters) on
 * GET and HEAD. The exposition is rendered into memory and then written without blocking, so a client that reads
 * slowly or leaves holds no thread and costs one debug line.
 */
final class MetricsEndpoint implements Endpoint {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsEndpoint.class);

    private final PrometheusScrapeHandler scrape;

    MetricsEndpoint(PrometheusRegistry registry) {
        this.scrape = new PrometheusScrapeHandler(registry);
    }

    @Override
    public void serve(Request request, Response response, Callback callback) {
        if (!Methods.isRead(request.getMethod())) {
            Responses.notAllowed(request, response, callback, Methods.READ);
            return;
        }
        BufferedScrape exchange = new BufferedScrape(request);
        try {
            scrape.handleRequest(exchange);
        } catch (IOException | RuntimeException e) {
            exchange.failure = e;
        }
        if (exchange.failure != null) {
            LOG.warn("/metrics could not be rendered: {}", exchange.failure.toString());
            Responses.error(request, response, callback, 500, "metrics could not be rendered: " + exchange.failure.getClass().getSimpleName());
            return;
        }
        exchange.headers.forEach((name, value) -> response.getHeaders().put(name, value));
        Responses.send(request, response, callback, exchange.status, exchange.body.toByteArray());
    }

    /** The scrape handler's view of one request, with the response collected in memory. */
    private static final class BufferedScrape implements PrometheusHttpExchange, PrometheusHttpRequest, PrometheusHttpResponse {
        private final Request request;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private int status = 200;
        private Exception failure;

        BufferedScrape(Request request) {
            this.request = request;
        }

        @Override
        public PrometheusHttpRequest getRequest() {
            return this;
        }

        @Override
        public PrometheusHttpResponse getResponse() {
            return this;
        }

        @Override
        public void handleException(IOException e) {
            failure = e;
        }

        @Override
        public void handleException(RuntimeException e) {
            failure = e;
        }

        @Override
        public void close() {
        }

        @Override
        public String getQueryString() {
            return request.getHttpURI().getQuery();
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return request.getHeaders().getValues(name);
        }

        @Override
        public String getMethod() {
            return request.getMethod();
        }

        @Override
        public String getRequestPath() {
            return request.getHttpURI().getPath();
        }

        @Override
        public void setHeader(String name, String value) {
            headers.put(name, value);
        }

        @Override
        public OutputStream sendHeadersAndGetBody(int statusCode, int contentLength) {
            status = statusCode;
            return body;
        }
    }
}
