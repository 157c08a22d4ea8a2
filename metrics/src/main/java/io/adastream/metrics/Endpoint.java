package io.adastream.metrics;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** One endpoint of the HTTP port: answers the request and completes the callback (through {@link Responses}). */
interface Endpoint {

    void serve(Request request, Response response, Callback callback) throws Exception;
}
