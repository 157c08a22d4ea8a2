package io.adastream.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import java.io.IOException;
import java.util.function.Supplier;

/**
 * {@code /health/live} (200 while the process serves HTTP) and {@code /health/ready} (200 only while the supplied
 * state is {@code RUNNING}, 503 otherwise), both with the state as JSON.
 */
final class HealthHandler implements HttpHandler {

    static final String READY_STATE = "RUNNING";

    private final Supplier<String> state;

    HealthHandler(Supplier<String> state) {
        this.state = state;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getRawPath();
        if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
            ex.getResponseHeaders().set("Allow", "GET, HEAD");
            Responses.error(ex, 405, "method " + ex.getRequestMethod() + " not allowed here");
            return;
        }
        String now = currentState();
        switch (path) {
            case "/health/live" -> Responses.json(ex, 200, new Json.ObjectWriter()
                    .field("status", "UP").field("state", now).toString());
            case "/health/ready" -> {
                boolean ready = READY_STATE.equals(now);
                Responses.json(ex, ready ? 200 : 503, new Json.ObjectWriter()
                        .field("status", ready ? "UP" : "DOWN").field("state", now).toString());
            }
            default -> Responses.error(ex, 404, "no such endpoint");
        }
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
