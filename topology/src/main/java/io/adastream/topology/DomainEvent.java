package io.adastream.topology;

import org.apache.kafka.common.header.Headers;

import java.awt.image.BufferedImage;

/** What reaches the adapting processor for a domain: a validated frame or a control command. */
public sealed interface DomainEvent permits DomainEvent.Frame, DomainEvent.Control {

    /**
     * A frame that passed validation: its decoded image or pre-processed tensor, plus the original record, kept so
     * that a later failure can still dead-letter it unchanged.
     */
    record Frame(String frameId, BufferedImage image, float[] tensor, long decodeNanos,
                 byte[] originalKey, byte[] originalValue, Headers originalHeaders) implements DomainEvent {
    }

    /**
     * A parsed control command with its original record (null key and value until {@link #withOriginal} sets them),
     * kept for dead letters.
     */
    record Control(ControlCommand command, byte[] originalKey, byte[] originalValue, Headers originalHeaders)
            implements DomainEvent {

        Control(ControlCommand command) {
            this(command, null, null, null);
        }

        Control withOriginal(byte[] key, byte[] value, Headers headers) {
            return new Control(command, key, value, headers);
        }
    }
}
