package io.adastream.metrics;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.util.function.Supplier;

/**
 * {@code /health/live} (200 while the process serves HTTP) and {@code /health/ready} (200 only while the supplied
 * state is {@code RUNNING}, 503 otherwise), both with the state as JSON; GET and HEAD only.
 */
final class HealthHandler implements Endpoint {

    static final String READY_STATE = "RUNNING";

    private final Supplier<String> state;

    HealthHandler(Supplier<String> state) {
        this.state = state;
    }

    @Override
    public void serve(Request request, Response response, Callback callback) {
        String path = request.getHttpURI().getPath();
        if (!path.equals("/health/live") && !path.equals("/health/ready")) {
            Responses.error(request, response, callback, 404, "no such endpoint");
            return;
        }
        if (!Methods.isRead(request.getMethod())) {
            Responses.notAllowed(request, response, callback, Methods.READ);
            return;
        }
        String now = currentState();
        boolean up = path.equals("/health/live") || READY_STATE.equals(now);
        Responses.json(request, response, callback, up ? 200 : 503, new Json.ObjectWriter()
                .field("status", up ? "UP" : "DOWN").field("state", now).toString());
    }

    private String currentState() {
        try {
            String s = state.get();
            return s == null ? "UNKNOWN" : s;
        } catch (RuntimeException e) {
            return "UNKNOWN";
        }
    }
}
