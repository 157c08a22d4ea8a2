package io.adastream.topology;

import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the service does when an exception escapes a stream thread (one the {@link DeadLetterExceptionHandler}
 * does not see, e.g. an {@link Error} or a failed commit): it logs one line and replaces the thread, which resumes
 * from the last commit, rather than shutting the client or the application down.
 */
public final class ReplaceThreadPolicy implements StreamsUncaughtExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ReplaceThreadPolicy.class);

    @Override
    public StreamThreadExceptionResponse handle(Throwable exception) {
        Throwable cause = exception.getCause() != null ? exception.getCause() : exception;
        LOG.error("a stream thread died ({}: {}); replacing it", cause.getClass().getSimpleName(),
                String.valueOf(cause.getMessage()).replaceAll("[\\r\\n]+", " "));
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }
}
