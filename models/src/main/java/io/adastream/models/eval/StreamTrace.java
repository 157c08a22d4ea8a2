package io.adastream.models.eval;

import java.util.List;
import java.util.Map;

/**
 * What the pictures of one replayed stream need: its conditions in order (where each starts), the accuracy along
 * the stream of every traced policy, and a few frames with every traced policy's predicted mask (segmenters only).
 * {@code name} is the stream's name, with the condition for a stream of one condition ({@code single-fog-5}).
 */
public record StreamTrace(String name, int frames, List<Segment> segments, List<AccuracyTrace> traces,
                          List<SampleFrame> samples) {

    /** The stream's frames from {@code start} on are scored under {@code row} (a condition or domain). */
    public record Segment(int start, String row) {
    }

    /** Frame {@code index} of the stream (input and ground truth) and each policy's predicted class mask. */
    public record SampleFrame(int index, String row, EvalFrame frame, Map<String, byte[]> masks) {
        public SampleFrame {
            masks = Map.copyOf(masks);
        }
    }

    public StreamTrace {
        segments = List.copyOf(segments);
        traces = List.copyOf(traces);
        samples = List.copyOf(samples);
    }

    /** The trace of a policy, or null. */
    public AccuracyTrace trace(String policy) {
        for (AccuracyTrace t : traces) {
            if (t.policy().equals(policy)) {
                return t;
            }
        }
        return null;
    }
}
