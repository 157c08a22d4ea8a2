package io.adastream.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The domain admin API: {@code GET /domains}, {@code GET /domains/{id}/snapshot}, {@code GET
 * /domains/{id}/model.onnx}, {@code POST /domains/{id}/reset} (bearer token). Ids are checked against the domain
 * rule on the raw path (so no encoded or relative segment gets through); nothing here touches the file system.
 * Add {@code ?scope=local} to ask this instance only.
 */
final class AdminHandler implements HttpHandler {

    private final DomainDirectory directory;
    private final BearerToken token;

    AdminHandler(DomainDirectory directory, BearerToken token) {
        this.directory = directory;
        this.token = token;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try {
            route(ex);
        } catch (DirectoryUnavailableException e) {
            ex.getResponseHeaders().set("Retry-After", "5");
            Responses.error(ex, 503, e.getMessage());
        } catch (RuntimeException e) {
            Responses.error(ex, 500, "internal error: " + e.getClass().getSimpleName());
        }
    }

    private void route(HttpExchange ex) throws IOException, DirectoryUnavailableException {
        String path = ex.getRequestURI().getRawPath();
        boolean local = "scope=local".equals(ex.getRequestURI().getRawQuery());
        String method = ex.getRequestMethod();
        String[] parts = path.split("/", -1);
        // "/domains" -> ["", "domains"]; "/domains/x/snapshot" -> ["", "domains", "x", "snapshot"]
        if (parts.length == 2 && parts[1].equals("domains")) {
            if (!isRead(method)) {
                notAllowed(ex, "GET, HEAD");
                return;
            }
            List<String> items = new ArrayList<>();
            List<DomainSummary> domains = directory.domains(local);
            domains.forEach(d -> items.add(d.toJson()));
            Responses.json(ex, 200, new Json.ObjectWriter().field("count", domains.size())
                    .raw("domains", Json.array(items)).toString());
            return;
        }
        if (parts.length != 4 || !parts[1].equals("domains")) {
            Responses.error(ex, 404, "no such endpoint");
            return;
        }
        String action = parts[3];
        if (!action.equals("snapshot") && !action.equals("model.onnx") && !action.equals("reset")) {
            Responses.error(ex, 404, "no such endpoint");
            return;
        }
        boolean write = action.equals("reset");
        if (write ? !method.equals("POST") : !isRead(method)) {
            notAllowed(ex, write ? "POST" : "GET, HEAD");
            return;
        }
        if (write && !authorized(ex)) {
            return;
        }
        String id = parts[2];
        if (!DomainIdRule.isValid(id)) {
            Responses.error(ex, 400, "invalid domain id: 1 to 128 characters of [A-Za-z0-9._:-], starting with a letter or digit");
            return;
        }
        switch (action) {
            case "snapshot" -> download(ex, id, id + ".snapshot", directory.snapshot(id, local));
            case "model.onnx" -> download(ex, id, id + ".onnx", directory.modelOnnx(id, local));
            default -> {
                if (directory.reset(id)) {
                    Responses.json(ex, 202, new Json.ObjectWriter().field("domain", id).field("command", "reset")
                            .field("status", "accepted").toString());
                } else {
                    unknown(ex, id);
                }
            }
        }
    }

    private boolean authorized(HttpExchange ex) throws IOException {
        if (!token.configured()) {
            Responses.error(ex, 403, "admin writes are disabled: no admin.token is configured");
            return false;
        }
        if (!token.accepts(ex.getRequestHeaders().getFirst("Authorization"))) {
            ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"adastream\"");
            Responses.error(ex, 401, "admin writes need Authorization: Bearer <admin.token>");
            return false;
        }
        return true;
    }

    private static void download(HttpExchange ex, String id, String fileName, Optional<byte[]> body) throws IOException {
        if (body.isPresent()) {
            Responses.binary(ex, fileName, body.get());
        } else {
            unknown(ex, id);
        }
    }

    private static void unknown(HttpExchange ex, String id) throws IOException {
        Responses.error(ex, 404, "unknown domain '" + id + "'");
    }

    private static boolean isRead(String method) {
        return method.equals("GET") || method.equals("HEAD");
    }

    private static void notAllowed(HttpExchange ex, String allow) throws IOException {
        ex.getResponseHeaders().set("Allow", allow);
        Responses.error(ex, 405, "method " + ex.getRequestMethod() + " not allowed here; use " + allow);
    }
}
