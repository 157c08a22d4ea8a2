package io.adastream.topology;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;

/**
 * Stands in front of a sink and forwards each record that fits its topic's {@link OutputLimits}; a record that
 * does not fit becomes, in processing and so in the same transaction as the input's offset, a dead letter with
 * the record's key and headers, no value, and the reason {@code output-too-large}. In front of the dead-letter
 * sink itself, a letter too large loses its value (and then any large header) instead.
 */
final class OutputSizeGuard implements Processor<Object, byte[], Object, byte[]> {

    private static final Logger LOG = LoggerFactory.getLogger(OutputSizeGuard.class);

    private final String what;
    private final String topic;
    private final String sink;
    private final OutputLimits limits;
    private final DeadLetters deadLetters;
    private ProcessorContext<Object, byte[]> context;

    /**
     * Guards {@code sink}, which writes {@code what} records to {@code topic}; too large ones go to {@code
     * deadLetters}, or, with {@code deadLetters} null (the guard of the dead-letter sink), to the sink without value.
     */
    OutputSizeGuard(String what, String topic, String sink, OutputLimits limits, DeadLetters deadLetters) {
        this.what = what;
        this.topic = topic;
        this.sink = sink;
        this.limits = limits;
        this.deadLetters = deadLetters;
    }

    @Override
    public void init(ProcessorContext<Object, byte[]> context) {
        this.context = context;
    }

    @Override
    public void process(Record<Object, byte[]> record) {
        int size = size(record.key(), record.value(), record.headers());
        int limit = limits.limit(topic);
        if (size <= limit) {
            context.forward(record, sink);
            return;
        }
        String detail = what + " of " + size + " bytes is larger than the " + limit + " bytes topic " + topic + " takes";
        byte[] key = keyBytes(record.key());
        if (deadLetters != null) {
            deadLetters.send(context, key, null, record.headers(), record.timestamp(), DeadLetterReason.OUTPUT_TOO_LARGE,
                    detail);
            return;
        }
        Headers kept = new RecordHeaders();
        for (Header h : record.headers()) {
            if (h.key().equals("error-detail")) {
                kept.add("error-detail", (new String(h.value(), StandardCharsets.UTF_8) + "; " + detail
                        + ", so its value is left out").getBytes(StandardCharsets.UTF_8));
            } else if (h.key().equals("error") || h.value() == null || h.value().length <= OutputExceptionHandler.MAX_KEPT_BYTES) {
                kept.add(h);
            }
        }
        byte[] keptKey = key != null && key.length <= OutputExceptionHandler.MAX_KEPT_BYTES ? key : null;
        if (size(keptKey, null, kept) > limit) {
            LOG.error("dead letter ({}) of {} bytes dropped: even without its value it is larger than the {} bytes topic {} takes",
                    detail, size, limit, topic);
            return;
        }
        context.forward(new Record<>(keptKey, null, record.timestamp(), kept), sink);
    }

    private static int size(Object key, byte[] value, Headers headers) {
        return RecordSizes.upperBound(RecordSizes.keyLength(key), value == null ? -1 : value.length, headers);
    }

    private static byte[] keyBytes(Object key) {
        return key == null ? null : key instanceof byte[] b ? b : key.toString().getBytes(StandardCharsets.UTF_8);
    }
}
