package io.adastream.topology;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The largest record (as {@link RecordSizes#upperBound} counts it) each output topic takes: at most the producer's
 * {@code max.request.size}, lowered to a topic's {@code max.message.bytes} once read, and lowered below the size of
 * any record the producer or the broker refused as too large. Shared by the stream threads' size guards and the
 * production-exception handler, so a refusal seen once is caught in processing from then on.
 */
public final class OutputLimits {

    /** The producer's default {@code max.request.size}. */
    public static final int DEFAULT_MAX_REQUEST_SIZE = 1_048_576;

    private final int ceiling;
    private final Map<String, Integer> limits = new ConcurrentHashMap<>();

    /** Limits no higher than {@code ceiling} bytes (the producer's {@code max.request.size}). */
    public OutputLimits(int ceiling) {
        if (ceiling <= 0) {
            throw new IllegalArgumentException("the size ceiling must be positive, got " + ceiling);
        }
        this.ceiling = ceiling;
    }

    /** The largest record {@code topic} takes. */
    public int limit(String topic) {
        return limits.getOrDefault(topic, ceiling);
    }

    /** Whether a record of {@code size} bytes fits {@code topic}. */
    public boolean fits(String topic, int size) {
        return size <= limit(topic);
    }

    /** Lowers {@code topic}'s limit to {@code maxMessageBytes} (its {@code max.message.bytes}). */
    public void topicLimit(String topic, int maxMessageBytes) {
        limits.merge(topic, Math.min(ceiling, maxMessageBytes), Math::min);
    }

    /** Records that {@code topic} refused a record of {@code size} bytes as too large: the limit drops below it. */
    public void refused(String topic, int size) {
        limits.merge(topic, Math.min(ceiling, Math.max(0, size - 1)), Math::min);
    }
}
