package io.adastream.metrics;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Sends each request to its endpoint by path: {@code /metrics}, {@code /health/*}, {@code /domains...}; 404 otherwise. */
final class Routes extends Handler.Abstract {

    private final Endpoint metrics;
    private final Endpoint health;
    private final Endpoint admin;

    Routes(Endpoint metrics, Endpoint health, Endpoint admin) {
        this.metrics = metrics;
        this.health = health;
        this.admin = admin;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = request.getHttpURI().getPath();
        if (path.equals("/metrics")) {
            metrics.serve(request, response, callback);
        } else if (path.startsWith("/health/")) {
            health.serve(request, response, callback);
        } else if (path.equals("/domains") || path.startsWith("/domains/")) {
            admin.serve(request, response, callback);
        } else {
            Responses.error(request, response, callback, 404, "no such endpoint; see /metrics, /health/live, /health/ready, /domains");
        }
        return true;
    }
}
