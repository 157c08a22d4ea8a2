package io.adastream.topology;

import io.adastream.adapt.stats.FrameOutcome;

/**
 * What the service reports as it processes frames. The Prometheus implementation lives with the HTTP endpoints;
 * {@link #NONE} discards everything (tests, tools).
 */
public interface ServiceMetrics {

    ServiceMetrics NONE = new ServiceMetrics() {
    };

    /** A frame was predicted; its adaptation outcome and timings (seconds). */
    default void frame(String domain, FrameOutcome outcome, double decodeSeconds, double preprocessSeconds,
                       double inferenceSeconds) {
    }

    /** The time spent folding a frame's moments into its domain's statistics (seconds). */
    default void adaptation(String domain, double seconds) {
    }

    /** The domain's adaptation state after a frame. */
    default void domainState(String domain, double shiftScore, double weight, long frames, int segments) {
    }

    default void deadLetter(DeadLetterReason reason) {
    }

    default void snapshotWritten(String domain, int bytes) {
    }

    default void stateWritten(int bytes) {
    }

    /** A domain left this task because its partition moved away (or the task closed); evictions are {@link #domainEvicted}. */
    default void domainLeft(String domain) {
    }

    default void domainEvicted(String domain) {
    }

    default void liveDomains(String task, int count) {
    }

    /** A prediction was joined with its ground truth from the labels topic. */
    default void labeledFrame(String domain) {
    }

    /**
     * A domain's online accuracy over its last labeled frames: {@code model} is {@code adapted} or {@code source},
     * {@code measure} {@code miou} or {@code map50}.
     */
    default void accuracy(String domain, String model, String measure, double value) {
    }
}
