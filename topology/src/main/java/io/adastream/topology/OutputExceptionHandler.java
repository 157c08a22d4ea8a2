package io.adastream.topology;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Kafka Streams' production-exception handler of the service. An output record (prediction, snapshot or dead
 * letter) that cannot be written for reasons of its own (too large, unserializable, refused by the broker as an
 * invalid record or timestamp) is replaced by a small dead letter: the output's key and headers, no value, and
 * {@code error} / {@code error-detail} headers; processing resumes. Every other error (broker unreachable, fencing,
 * authorization) fails as Kafka Streams' default does, so its own recovery applies. Under exactly-once a record
 * the producer or broker refused has already put the transaction in error, so the handler fails instead: the
 * transaction aborts, the thread is replaced and the input processed again; a record refused as too large has
 * meanwhile lowered its topic's {@link OutputLimits}, so the {@link OutputSizeGuard} then dead-letters it inside
 * the transaction that commits the input. Serialization errors happen before the producer sees the record: their
 * dead letter is written in the same transaction under either guarantee.
 */
public final class OutputExceptionHandler implements ProductionExceptionHandler {

    /** The key under which the service passes its {@link OutputLimits}. */
    public static final String LIMITS_CONFIG = "adastream.output.limits";

    /** Key and header values longer than this are left out of a dead letter, which must stay small. */
    static final int MAX_KEPT_BYTES = 1024;

    private static final Logger LOG = LoggerFactory.getLogger(OutputExceptionHandler.class);

    private String topic;
    private boolean exactlyOnce;
    private OutputLimits limits;
    private Consumer<DeadLetterReason> counter = reason -> { };

    @Override
    @SuppressWarnings("unchecked")
    public void configure(Map<String, ?> configs) {
        Object name = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
        topic = name == null || name.toString().isBlank() ? null : name.toString();
        exactlyOnce = String.valueOf(configs.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).startsWith("exactly_once");
        if (configs.get(DeadLetterExceptionHandler.COUNTER_CONFIG) instanceof Consumer<?> c) {
            counter = (Consumer<DeadLetterReason>) c;
        }
        if (configs.get(LIMITS_CONFIG) instanceof OutputLimits l) {
            limits = l;
        }
    }

    /** The dead-letter reason of a send error that belongs to the record itself, or null for any other error. */
    static DeadLetterReason reasonOf(Exception exception) {
        if (exception instanceof RecordTooLargeException || exception instanceof RecordBatchTooLargeException) {
            return DeadLetterReason.OUTPUT_TOO_LARGE;
        }
        if (exception instanceof InvalidRecordException || exception instanceof CorruptRecordException
                || exception instanceof InvalidTimestampException) {
            return DeadLetterReason.OUTPUT_REJECTED;
        }
        return null;
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
        DeadLetterReason reason = reasonOf(exception);
        if (reason == null) {
            return exception instanceof RetriableException ? Response.retry() : Response.fail();
        }
        int size = RecordSizes.upperBound(length(record.key()), length(record.value()), record.headers());
        if (reason == DeadLetterReason.OUTPUT_TOO_LARGE && limits != null) {
            limits.refused(record.topic(), size);
        }
        if (exactlyOnce) {
            // the producer's transaction is already in error: nothing more can be sent or committed in it (a dead
            // letter sent from here leaves the commit waiting for good), so the thread fails, is replaced, and the
            // input comes again, when the size guard, told the new limit, dead-letters it inside a transaction
            LOG.warn("record to {} ({} bytes) refused ({}); the transaction aborts and the input is processed again",
                    record.topic(), size, oneLine(exception));
            return Response.fail();
        }
        return Response.resume(deadLetter(record, record.key(), size, reason, exception));
    }

    @Override
    public Response handleSerializationError(ErrorHandlerContext context, ProducerRecord record, Exception exception,
                                             SerializationExceptionOrigin origin) {
        DeadLetterReason reason = exception instanceof RecordTooLargeException
                ? DeadLetterReason.OUTPUT_TOO_LARGE : DeadLetterReason.OUTPUT_UNSERIALIZABLE;
        Object key = record.key();
        byte[] keyBytes = origin == SerializationExceptionOrigin.KEY || key == null ? null
                : key instanceof byte[] b ? b : key.toString().getBytes(StandardCharsets.UTF_8);
        return Response.resume(deadLetter(record, keyBytes, -1, reason, exception));
    }

    private List<ProducerRecord<byte[], byte[]>> deadLetter(ProducerRecord<?, ?> failed, byte[] key, int size,
                                                            DeadLetterReason reason, Exception exception) {
        String what = failed.topic() + (size >= 0 ? " (" + size + " bytes)" : "");
        if (topic == null || isOurDeadLetter(failed)) {
            LOG.error("record to {} not written and dropped: {}", what, oneLine(exception));
            return List.of();
        }
        LOG.warn("record to {} not written, dead-lettered as {}: {}", what, reason.code(), oneLine(exception));
        counter.accept(reason);
        Headers headers = new RecordHeaders();
        if (failed.headers() != null) {
            for (Header h : failed.headers()) {
                boolean small = h.value() == null || h.value().length <= MAX_KEPT_BYTES;
                if (small && !h.key().equals("error") && !h.key().equals("error-detail")) {
                    headers.add(h);
                }
            }
        }
        headers.add("error", reason.code().getBytes(StandardCharsets.UTF_8));
        String detail = ("record to " + what + " not written: " + oneLine(exception));
        headers.add("error-detail", detail.substring(0, Math.min(500, detail.length())).getBytes(StandardCharsets.UTF_8));
        byte[] keptKey = key == null || key.length > MAX_KEPT_BYTES ? null : key;
        return List.of(new ProducerRecord<>(topic, null, failed.timestamp(), keptKey, null, headers));
    }

    /** A dead letter this handler wrote that failed in turn: writing another would fail the same way. */
    private boolean isOurDeadLetter(ProducerRecord<?, ?> failed) {
        Header error = failed.headers() == null ? null : failed.headers().lastHeader("error");
        return failed.topic().equals(topic) && failed.value() == null && error != null
                && new String(error.value(), StandardCharsets.UTF_8).startsWith("output-");
    }

    private static int length(byte[] b) {
        return b == null ? -1 : b.length;
    }

    private static String oneLine(Throwable t) {
        String message = t.getMessage() == null ? "" : ": " + t.getMessage();
        return (t.getClass().getSimpleName() + message).replaceAll("[\\r\\n]+", " ");
    }
}
