package io.adastream.topology;

import io.adastream.adapt.inference.AdaptationMode;
import io.adastream.adapt.stats.DomainState;
import io.adastream.topology.labels.PredictedFrame;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import java.nio.charset.StandardCharsets;

/**
 * Publishes a frame's prediction: the JSON record (with a {@code frame-id} header) to the predictions topic and,
 * with online accuracy on, the decoded results as a {@link PredictedFrame} to the label joiner.
 */
final class PredictionOutput {

    private final ProcessorContext<String, Object> context;
    private final PredictionWriter writer;
    private final String predictionsOut;
    /** The node that joins predictions with labels, or null. */
    private final String scoring;

    PredictionOutput(ProcessorContext<String, Object> context, PredictionWriter writer, String predictionsOut,
                     String scoring) {
        this.context = context;
        this.writer = writer;
        this.predictionsOut = predictionsOut;
        this.scoring = scoring;
    }

    void publish(String domain, DomainEvent.Frame frame, DomainState state, FrameInference.Result r, long timestamp) {
        byte[] json = writer.write(new PredictionWriter.Prediction(frame.frameId(), domain, state,
                r.mode() == AdaptationMode.FUSED ? "fused" : "two-pass", r.outcome(), r.shiftScore(), r.weight(),
                r.result(), r.sourceResult(), frame.decodeNanos() / 1e6, r.preprocessNanos() / 1e6,
                r.inferenceNanos() / 1e6));
        RecordHeaders headers = new RecordHeaders();
        headers.add("frame-id", frame.frameId().getBytes(StandardCharsets.UTF_8));
        context.forward(new Record<String, Object>(domain, json, timestamp, headers), predictionsOut);
        if (scoring != null) {
            context.forward(new Record<String, Object>(domain,
                    new PredictedFrame(frame.frameId(), r.result(), r.sourceResult()), timestamp), scoring);
        }
    }
}
