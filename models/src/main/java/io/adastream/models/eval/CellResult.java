package io.adastream.models.eval;

import io.adastream.adapt.inference.AdaptationMode;

import java.util.Map;

/**
 * The outcome of replaying one stream with one policy, batch size and mode: the online accuracy per row (every
 * frame scored as it was predicted), the probe accuracies of cyclic streams on the condition being streamed
 * ("current") and on the one that is not ("other"), the inference time per frame, and frame counts.
 */
public record CellResult(String stream, String policy, int batch, AdaptationMode mode, Map<String, Double> accuracy,
                         Map<String, Double> probeCurrent, Map<String, Double> probeOther, double msPerFrame,
                         long frames, long rejected, long shifts) {

    public CellResult {
        accuracy = Map.copyOf(accuracy);
        probeCurrent = Map.copyOf(probeCurrent);
        probeOther = Map.copyOf(probeOther);
    }

    /** The online accuracy of a row, NaN if the stream had no such row. */
    public double accuracy(String row) {
        return accuracy.getOrDefault(row, Double.NaN);
    }
}
