package io.adastream.models.eval;

import io.adastream.adapt.inference.AdaptationMode;

import java.util.Map;

/**
 * The outcome of replaying one stream with one policy, batch size and mode: the online accuracy per row (every
 * frame scored as it was predicted), the probe accuracies of cyclic streams on the condition being streamed
 * ("current") and on the one that is not ("other"), the inference time per frame, frame counts, and per row the
 * accuracy along the stream, per class and the predictions kept for pictures ({@link RowSeries}; empty for cells
 * made without them).
 */
public record CellResult(String stream, String policy, int batch, AdaptationMode mode, Map<String, Double> accuracy,
                         Map<String, Double> probeCurrent, Map<String, Double> probeOther, double msPerFrame,
                         long frames, long rejected, long shifts, Map<String, RowSeries> series) {

    public CellResult {
        accuracy = Map.copyOf(accuracy);
        probeCurrent = Map.copyOf(probeCurrent);
        probeOther = Map.copyOf(probeOther);
        series = Map.copyOf(series);
    }

    /** A cell without per-row series. */
    public CellResult(String stream, String policy, int batch, AdaptationMode mode, Map<String, Double> accuracy,
                      Map<String, Double> probeCurrent, Map<String, Double> probeOther, double msPerFrame,
                      long frames, long rejected, long shifts) {
        this(stream, policy, batch, mode, accuracy, probeCurrent, probeOther, msPerFrame, frames, rejected, shifts,
                Map.of());
    }

    /** The series of a row, or null when the cell has none for it. */
    public RowSeries series(String row) {
        return series.get(row);
    }

    /** The online accuracy of a row, NaN if the stream had no such row. */
    public double accuracy(String row) {
        return accuracy.getOrDefault(row, Double.NaN);
    }
}
