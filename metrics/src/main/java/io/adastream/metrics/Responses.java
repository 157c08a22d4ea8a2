package io.adastream.metrics;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Writes responses: JSON bodies, JSON errors {@code {"status": N, "error": "..."}}, binary downloads. Bodies are
 * written without blocking the thread; a client that leaves before its response is delivered costs one debug line.
 */
final class Responses {

    private static final Logger LOG = LoggerFactory.getLogger(Responses.class);

    private Responses() {
    }

    static void json(Request request, Response response, Callback callback, int status, String json) {
        send(request, response, callback, status, "application/json; charset=utf-8", json.getBytes(StandardCharsets.UTF_8));
    }

    static void error(Request request, Response response, Callback callback, int status, String reason) {
        json(request, response, callback, status, errorJson(status, reason));
    }

    static String errorJson(int status, String reason) {
        return new Json.ObjectWriter().field("status", status).field("error", reason).toString();
    }

    static void notAllowed(Request request, Response response, Callback callback, String allow) {
        response.getHeaders().put(HttpHeader.ALLOW, allow);
        error(request, response, callback, 405, "method " + request.getMethod() + " not allowed here; use " + allow);
    }

    static void binary(Request request, Response response, Callback callback, String fileName, byte[] body) {
        response.getHeaders().put(HttpHeader.CONTENT_DISPOSITION, "attachment; filename=\"" + fileName + "\"");
        send(request, response, callback, 200, "application/octet-stream", body);
    }

    static void send(Request request, Response response, Callback callback, int status, String contentType, byte[] body) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        send(request, response, callback, status, body);
    }

    /** Status and body with the headers already set; HEAD gets the headers only. */
    static void send(Request request, Response response, Callback callback, int status, byte[] body) {
        response.setStatus(status);
        boolean head = request.getMethod().equals("HEAD");
        if (!head) {
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        }
        ByteBuffer content = head ? BufferUtil.EMPTY_BUFFER : ByteBuffer.wrap(body);
        response.write(true, content, reportingUndelivered(request, callback));
    }

    private static Callback reportingUndelivered(Request request, Callback callback) {
        return Callback.from(callback::succeeded, failure -> {
            LOG.debug("response to {} {} from {} not delivered: {}", request.getMethod(), request.getHttpURI().getPath(),
                    Request.getRemoteAddr(request), failure.toString().replace('\n', ' '));
            callback.failed(failure);
        });
    }
}
