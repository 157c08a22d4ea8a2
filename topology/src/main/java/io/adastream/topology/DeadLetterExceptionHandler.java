package io.adastream.topology;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Kafka Streams' processing- and deserialization-exception handler of the service: a record whose processing or
 * deserialization throws is logged in one line, sent as it came from its source topic (key, value, headers) to the
 * Streams dead-letter queue ({@code errors.dead.letter.queue.topic.name}, the service's dead-letter topic) with the
 * service's {@code error} ({@code processing-error}) and {@code error-detail} headers, and processing resumes: no
 * single record stops a stream thread; a record too large for the dead-letter topic ({@link OutputLimits}) goes
 * without its value. Exceptions in punctuations are logged and processing resumes.
 */
public final class DeadLetterExceptionHandler implements ProcessingExceptionHandler, DeserializationExceptionHandler {

    /** The key under which the service passes a {@code Consumer<DeadLetterReason>} to count dead letters. */
    public static final String COUNTER_CONFIG = "adastream.dead.letter.counter";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterExceptionHandler.class);

    private String topic;
    private OutputLimits limits;
    private Consumer<DeadLetterReason> counter = reason -> { };

    @Override
    @SuppressWarnings("unchecked")
    public void configure(Map<String, ?> configs) {
        Object name = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
        topic = name == null || name.toString().isBlank() ? null : name.toString();
        if (configs.get(COUNTER_CONFIG) instanceof Consumer<?> c) {
            counter = (Consumer<DeadLetterReason>) c;
        }
        if (configs.get(OutputExceptionHandler.LIMITS_CONFIG) instanceof OutputLimits l) {
            limits = l;
        }
    }

    @Override
    public ProcessingExceptionHandler.Response handleError(ErrorHandlerContext context, Record<?, ?> record,
                                                           Exception exception) {
        LOG.warn("record {}-{}@{} failed in {}, dead-lettered: {}", context.topic(), context.partition(),
                context.offset(), context.processorNodeId(), oneLine(exception));
        return ProcessingExceptionHandler.Response.resume(deadLetter(context, exception));
    }

    @Override
    public DeserializationExceptionHandler.Response handleError(ErrorHandlerContext context,
                                                                ConsumerRecord<byte[], byte[]> record,
                                                                Exception exception) {
        LOG.warn("record {}-{}@{} could not be deserialized, dead-lettered: {}", record.topic(), record.partition(),
                record.offset(), oneLine(exception));
        return DeserializationExceptionHandler.Response.resume(
                deadLetter(record.key(), record.value(), record.headers(), record.timestamp(), exception));
    }

    private List<ProducerRecord<byte[], byte[]>> deadLetter(ErrorHandlerContext context, Exception exception) {
        if (context.sourceRawKey() == null && context.sourceRawValue() == null) {
            return List.of(); // a punctuation: there is no record to dead-letter
        }
        return deadLetter(context.sourceRawKey(), context.sourceRawValue(), context.headers(), context.timestamp(),
                exception);
    }

    private List<ProducerRecord<byte[], byte[]>> deadLetter(byte[] key, byte[] value, Headers original, long timestamp,
                                                            Exception exception) {
        counter.accept(DeadLetterReason.PROCESSING_ERROR);
        if (topic == null) {
            return List.of();
        }
        Headers headers = new RecordHeaders(original == null ? new org.apache.kafka.common.header.Header[0] : original.toArray());
        headers.remove("error");
        headers.remove("error-detail");
        headers.add("error", DeadLetterReason.PROCESSING_ERROR.code().getBytes(StandardCharsets.UTF_8));
        String detail = oneLine(exception);
        int size = RecordSizes.upperBound(key == null ? -1 : key.length, value == null ? -1 : value.length, headers);
        if (limits != null && !limits.fits(topic, size + 600)) {
            // the record as it came does not fit the dead-letter topic: a refusal would abort the transaction
            detail = detail + "; the record's value (" + size + " bytes with its key and headers) is left out";
            value = null;
        }
        headers.add("error-detail", detail.substring(0, Math.min(500, detail.length())).getBytes(StandardCharsets.UTF_8));
        return List.of(new ProducerRecord<>(topic, null, timestamp < 0 ? null : timestamp, key, value, headers));
    }

    private static String oneLine(Throwable t) {
        String message = t.getMessage() == null ? "" : ": " + t.getMessage();
        return (t.getClass().getSimpleName() + message).replaceAll("[\\r\\n]+", " ");
    }
}
