package io.adastream.models.eval;

import java.io.PrintStream;
import java.util.Locale;

/** Told about each completed table cell while an evaluation runs. */
@FunctionalInterface
public interface ProgressListener {

    /**
     * Cell {@code done} of {@code total} finished after {@code elapsedSeconds} of the evaluation, when
     * {@code framesDone} of all {@code framesTotal} planned frame replays are done.
     */
    void cellDone(CellResult cell, int done, int total, double elapsedSeconds, long framesDone, long framesTotal);

    /** Ignores progress. */
    ProgressListener NONE = (cell, done, total, elapsed, framesDone, framesTotal) -> { };

    /** One line per cell: position, stream, row(s), batch, mode, policy, accuracy, ms/frame, elapsed and ETA. */
    static ProgressListener lines(PrintStream out, String metric) {
        return (cell, done, total, elapsed, framesDone, framesTotal) -> {
            double eta = framesDone == 0 ? 0 : elapsed / framesDone * Math.max(0, framesTotal - framesDone);
            String rows = cell.accuracy().size() == 1 ? cell.accuracy().keySet().iterator().next()
                    : cell.accuracy().size() + " rows";
            double mean = cell.accuracy().values().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            out.printf(Locale.ROOT, "[%4d/%d] %-9s %-20s batch %d %-8s %-14s %s %.3f  %.2f ms/frame  %5.0fs elapsed, ~%.0fs left%n",
                    done, total, cell.stream(), rows, cell.batch(), Reports.modeName(cell.mode()), cell.policy(), metric,
                    mean, cell.msPerFrame(), elapsed, eta);
            out.flush();
        };
    }
}
