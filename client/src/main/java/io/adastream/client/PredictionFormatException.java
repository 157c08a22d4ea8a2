package io.adastream.client;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A predictions-topic value that is not a prediction record: not JSON, or a field missing or of the wrong kind.
 * The message says which field. A Kafka consumer sees it wrapped in a {@code RecordDeserializationException}.
 */
public final class PredictionFormatException extends SerializationException {

    private static final long serialVersionUID = 1L;

    public PredictionFormatException(String message) {
        super(message);
    }

    public PredictionFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
