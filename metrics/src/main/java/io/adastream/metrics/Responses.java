package io.adastream.metrics;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Writes responses: JSON bodies, JSON errors {@code {"status": N, "error": "..."}}, binary downloads. */
final class Responses {

    private Responses() {
    }

    static void json(HttpExchange ex, int status, String json) throws IOException {
        send(ex, status, "application/json; charset=utf-8", json.getBytes(StandardCharsets.UTF_8));
    }

    static void error(HttpExchange ex, int status, String reason) throws IOException {
        json(ex, status, new Json.ObjectWriter().field("status", status).field("error", reason).toString());
    }

    static void binary(HttpExchange ex, String fileName, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Disposition", "attachment; filename=\"" + fileName + "\"");
        send(ex, 200, "application/octet-stream", body);
    }

    static void send(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
        drain(ex);
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
        ex.close();
    }

    /** Reads and drops a request body (bounded), so the connection can be reused. */
    private static void drain(HttpExchange ex) {
        try (InputStream in = ex.getRequestBody()) {
            byte[] buf = new byte[4096];
            long total = 0;
            int n;
            while (total < 65_536 && (n = in.read(buf)) > 0) {
                total += n;
            }
        } catch (IOException e) {
            // the response still goes out
        }
    }
}
