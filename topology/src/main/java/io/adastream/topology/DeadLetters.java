package io.adastream.topology;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Sends a record, with its original key, value and headers, to the dead-letter sink, adding {@code error} (the
 * reason code) and {@code error-detail} (one line) headers, and counts it.
 */
public final class DeadLetters {

    private final String sinkNode;
    private final Consumer<DeadLetterReason> counter;

    public DeadLetters(String sinkNode, Consumer<DeadLetterReason> counter) {
        this.sinkNode = sinkNode;
        this.counter = counter;
    }

    public void send(ProcessorContext<?, ?> context, Record<byte[], byte[]> record, DeadLetterReason reason, String detail) {
        send(context, record.key(), record.value(), record.headers(), record.timestamp(), reason, detail);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    public void send(ProcessorContext<?, ?> context, byte[] key, byte[] value, Headers original, long timestamp,
                     DeadLetterReason reason, String detail) {
        Headers headers = new RecordHeaders(original.toArray());
        headers.remove("error");
        headers.remove("error-detail");
        headers.add("error", reason.code().getBytes(StandardCharsets.UTF_8));
        String line = detail == null ? "" : detail.replaceAll("[\\r\\n]+", " ");
        headers.add("error-detail", line.substring(0, Math.min(line.length(), 500)).getBytes(StandardCharsets.UTF_8));
        ((ProcessorContext) context).forward(new Record<>(key, value, timestamp, headers), sinkNode);
        counter.accept(reason);
    }
}
