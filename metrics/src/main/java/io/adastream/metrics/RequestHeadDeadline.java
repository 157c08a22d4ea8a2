package io.adastream.metrics;

import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Closes every connection that has waited longer than the request timeout for a complete request head: since it
 * was opened, or since its previous response. An idle timeout alone would not do, since a client that sends a byte
 * now and then is never idle. Connections are tracked as a {@link Connection.Listener}; the wrapped handler marks
 * when a request is being answered. One daemon thread checks every tenth of the timeout (at most every second).
 */
final class RequestHeadDeadline extends Handler.Wrapper implements Connection.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(RequestHeadDeadline.class);

    private final long timeoutNanos;
    /** Open connections not answering a request, with the time they started waiting for one. */
    private final Map<Connection, Long> waitingSince = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sweeper;

    RequestHeadDeadline(Handler handler, Duration timeout) {
        super(handler);
        this.timeoutNanos = timeout.toNanos();
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "adastream-http-deadline");
            t.setDaemon(true);
            return t;
        });
        long period = Math.min(1_000, Math.max(10, timeout.toMillis() / 10));
        sweeper.scheduleWithFixedDelay(this::closeOverdue, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    public void onOpened(Connection connection) {
        waitingSince.put(connection, System.nanoTime());
    }

    @Override
    public void onClosed(Connection connection) {
        waitingSince.remove(connection);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Connection connection = request.getConnectionMetaData().getConnection();
        waitingSince.remove(connection);
        Callback waitAgain = new Callback() {
            @Override
            public void succeeded() {
                waitFromNow(connection);
                callback.succeeded();
            }

            @Override
            public void failed(Throwable x) {
                waitFromNow(connection);
                callback.failed(x);
            }

            @Override
            public InvocationType getInvocationType() {
                return callback.getInvocationType();
            }
        };
        if (super.handle(request, response, waitAgain)) {
            return true;
        }
        waitFromNow(connection);
        return false;
    }

    private void waitFromNow(Connection connection) {
        if (connection.getEndPoint().isOpen()) {
            waitingSince.put(connection, System.nanoTime());
        }
    }

    private void closeOverdue() {
        long now = System.nanoTime();
        waitingSince.forEach((connection, since) -> {
            if (!connection.getEndPoint().isOpen()) {
                waitingSince.remove(connection);
            } else if (now - since > timeoutNanos) {
                waitingSince.remove(connection);
                LOG.debug("closing {}: no complete request within {} ms", connection.getEndPoint().getRemoteSocketAddress(),
                        timeoutNanos / 1_000_000);
                connection.getEndPoint().close();
            }
        });
    }

    @Override
    protected void doStop() throws Exception {
        sweeper.shutdownNow();
        super.doStop();
    }
}
