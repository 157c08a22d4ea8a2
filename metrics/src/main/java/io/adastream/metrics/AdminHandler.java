package io.adastream.metrics;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;

/**
 * The domain admin API: {@code GET /domains}, {@code GET /domains/{id}/snapshot}, {@code GET
 * /domains/{id}/model.onnx} (bearer token when one is configured, unless reads are open), {@code POST
 * /domains/{id}/reset} (bearer token always). Ids are checked against the domain rule on the raw path (so no encoded
 * or relative segment gets through); nothing here touches the file system. Add {@code ?scope=local} to ask this
 * instance only. At most {@link #MAX_CONCURRENT} admin requests run at once (they may wait on other instances), so
 * they never take the threads {@code /metrics} and {@code /health} need.
 */
final class AdminHandler implements Endpoint {

    static final int MAX_CONCURRENT = 4;

    private final DomainDirectory directory;
    private final BearerToken token;
    private final boolean readsOpen;
    private final Semaphore running = new Semaphore(MAX_CONCURRENT);

    AdminHandler(DomainDirectory directory, BearerToken token, boolean readsOpen) {
        this.directory = directory;
        this.token = token;
        this.readsOpen = readsOpen;
    }

    @Override
    public void serve(Request request, Response response, Callback callback) {
        if (!running.tryAcquire()) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
            Responses.error(request, response, callback, 503, "too many admin requests at once; retry");
            return;
        }
        try {
            route(request, response, callback);
        } catch (DirectoryUnavailableException e) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "5");
            Responses.error(request, response, callback, 503, e.getMessage());
        } catch (RuntimeException e) {
            Responses.error(request, response, callback, 500, "internal error: " + e.getClass().getSimpleName());
        } finally {
            running.release();
        }
    }

    private void route(Request request, Response response, Callback callback) throws DirectoryUnavailableException {
        String path = request.getHttpURI().getPath();
        boolean local = "scope=local".equals(request.getHttpURI().getQuery());
        String method = request.getMethod();
        String[] parts = path.split("/", -1);
        // "/domains" -> ["", "domains"]; "/domains/x/snapshot" -> ["", "domains", "x", "snapshot"]
        if (parts.length == 2 && parts[1].equals("domains")) {
            if (!Methods.isRead(method)) {
                Responses.notAllowed(request, response, callback, Methods.READ);
                return;
            }
            if (!authorized(request, response, callback, false)) {
                return;
            }
            List<String> items = new ArrayList<>();
            List<DomainSummary> domains = directory.domains(local);
            domains.forEach(d -> items.add(d.toJson()));
            Responses.json(request, response, callback, 200, new Json.ObjectWriter().field("count", domains.size())
                    .raw("domains", Json.array(items)).toString());
            return;
        }
        if (parts.length != 4 || !parts[1].equals("domains")) {
            Responses.error(request, response, callback, 404, "no such endpoint");
            return;
        }
        String action = parts[3];
        if (!action.equals("snapshot") && !action.equals("model.onnx") && !action.equals("reset")) {
            Responses.error(request, response, callback, 404, "no such endpoint");
            return;
        }
        boolean write = action.equals("reset");
        if (write ? !method.equals("POST") : !Methods.isRead(method)) {
            Responses.notAllowed(request, response, callback, write ? "POST" : Methods.READ);
            return;
        }
        if (!authorized(request, response, callback, write)) {
            return;
        }
        String id = parts[2];
        if (!DomainIdRule.isValid(id)) {
            Responses.error(request, response, callback, 400,
                    "invalid domain id: 1 to 128 characters of [A-Za-z0-9._:-], starting with a letter or digit");
            return;
        }
        switch (action) {
            case "snapshot" -> download(request, response, callback, id, id + ".snapshot", directory.snapshot(id, local));
            case "model.onnx" -> download(request, response, callback, id, id + ".onnx", directory.modelOnnx(id, local));
            default -> {
                if (directory.reset(id)) {
                    Responses.json(request, response, callback, 202, new Json.ObjectWriter().field("domain", id)
                            .field("command", "reset").field("status", "accepted").toString());
                } else {
                    unknown(request, response, callback, id);
                }
            }
        }
    }

    /**
     * Writes need the configured token (403 when none is configured); reads need it when one is configured and
     * reads are not open. Answers 401 or 403 itself and returns false when the request may not go on.
     */
    private boolean authorized(Request request, Response response, Callback callback, boolean write) {
        if (!token.configured()) {
            if (write) {
                Responses.error(request, response, callback, 403, "admin writes are disabled: no admin.token is configured");
                return false;
            }
            return true;
        }
        if (!write && readsOpen) {
            return true;
        }
        if (!token.accepts(request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"adastream\"");
            Responses.error(request, response, callback, 401, (write ? "admin writes" : "reads of domain data")
                    + " need Authorization: Bearer <admin.token>");
            return false;
        }
        return true;
    }

    private static void download(Request request, Response response, Callback callback, String id, String fileName,
                                 Optional<byte[]> body) {
        if (body.isPresent()) {
            Responses.binary(request, response, callback, fileName, body.get());
        } else {
            unknown(request, response, callback, id);
        }
    }

    private static void unknown(Request request, Response response, Callback callback, String id) {
        Responses.error(request, response, callback, 404, "unknown domain '" + id + "'");
    }
}
