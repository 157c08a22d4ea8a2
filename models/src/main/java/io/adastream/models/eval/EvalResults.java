package io.adastream.models.eval;

import io.adastream.adapt.inference.AdaptationMode;

import java.util.List;

/** Every cell of one evaluation, with the options and model it ran with, and lookups for the report. */
public record EvalResults(EvalOptions options, String model, String task, String metric, int layers, int width,
                          int height, List<CellResult> cells, double seconds) {

    public EvalResults {
        cells = List.copyOf(cells);
    }

    /** The online accuracy of a row of a stream; NaN if that cell was not run. */
    public double accuracy(StreamKind stream, int batch, AdaptationMode mode, String policy, String row) {
        for (CellResult c : cells) {
            if (matches(c, stream, batch, mode, policy) && c.accuracy().containsKey(row)) {
                return c.accuracy(row);
            }
        }
        return Double.NaN;
    }

    /** The one cell of a whole-stream replay (continual, cyclic), or null. */
    public CellResult cell(StreamKind stream, int batch, AdaptationMode mode, String policy) {
        for (CellResult c : cells) {
            if (matches(c, stream, batch, mode, policy)) {
                return c;
            }
        }
        return null;
    }

    /** Mean over rows of the online accuracy (NaN if any is missing). */
    public double meanAccuracy(StreamKind stream, int batch, AdaptationMode mode, String policy, List<String> rows) {
        double sum = 0;
        for (String row : rows) {
            sum += accuracy(stream, batch, mode, policy, row);
        }
        return rows.isEmpty() ? Double.NaN : sum / rows.size();
    }

    /** Inference milliseconds per frame over all matching cells, weighted by frames; NaN if none. */
    public double msPerFrame(StreamKind stream, int batch, AdaptationMode mode, String policy) {
        double ms = 0;
        long frames = 0;
        for (CellResult c : cells) {
            if (matches(c, stream, batch, mode, policy)) {
                ms += c.msPerFrame() * c.frames();
                frames += c.frames();
            }
        }
        return frames == 0 ? Double.NaN : ms / frames;
    }

    /** Inference milliseconds per frame restricted to the cells of the given single-domain rows. */
    public double msPerFrame(StreamKind stream, int batch, AdaptationMode mode, String policy, List<String> rows) {
        double ms = 0;
        long frames = 0;
        for (CellResult c : cells) {
            if (matches(c, stream, batch, mode, policy) && c.accuracy().keySet().stream().anyMatch(rows::contains)) {
                ms += c.msPerFrame() * c.frames();
                frames += c.frames();
            }
        }
        return frames == 0 ? Double.NaN : ms / frames;
    }

    private static boolean matches(CellResult c, StreamKind stream, int batch, AdaptationMode mode, String policy) {
        return c.stream().equals(stream.id()) && c.batch() == batch && c.mode() == mode && c.policy().equals(policy);
    }
}
