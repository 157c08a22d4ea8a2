package io.adastream.topology;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/** Parses control records into commands for the adapting processor; malformed ones go to the dead-letter topic. */
public final class ControlParser implements Processor<byte[], byte[], String, DomainEvent> {

    private final DeadLetters deadLetters;
    private ProcessorContext<String, DomainEvent> context;

    public ControlParser(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    @Override
    public void init(ProcessorContext<String, DomainEvent> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        if (record.key() == null || record.key().length == 0) {
            deadLetters.send(context, record, DeadLetterReason.MISSING_KEY, "control records need their domain id as the key");
            return;
        }
        String domain = DomainIds.fromKey(record.key());
        if (domain == null) {
            deadLetters.send(context, record, DeadLetterReason.INVALID_DOMAIN_ID,
                    "control records need a valid domain id as their key");
            return;
        }
        DomainEvent.Control command;
        try {
            command = ControlCommands.parse(record.value());
        } catch (IllegalArgumentException e) {
            deadLetters.send(context, record, DeadLetterReason.BAD_CONTROL_COMMAND, e.getMessage());
            return;
        }
        context.forward(new Record<String, DomainEvent>(domain,
                command.withOriginal(record.key(), record.value(), record.headers()), record.timestamp()), TopologyNames.ADAPT);
    }
}
