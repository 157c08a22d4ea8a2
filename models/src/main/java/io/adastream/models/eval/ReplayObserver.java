package io.adastream.models.eval;

import io.adastream.adapt.inference.AdaptationMode;
import io.adastream.models.task.TaskResult;

/**
 * Told about every scored frame of a replay, in stream order, for what the tables do not keep (accuracy along the
 * stream, the masks of a few frames). Called on the replaying thread; a replay is one {@link #begin}, its frames,
 * then {@link #end}.
 */
public interface ReplayObserver {

    /** A replay of {@code stream} under {@code policy} starts (the oracle reports {@link StreamReplay#ORACLE}). */
    void begin(EvalStream stream, String policy, int batch, AdaptationMode mode);

    /** Frame {@code index} (0-based over the whole stream) was predicted as {@code prediction}; arrays are not kept. */
    void scored(int index, EvalFrame frame, TaskResult prediction);

    /** The replay begun last is over. */
    void end();

    /** Observes nothing. */
    ReplayObserver NONE = new ReplayObserver() {
        @Override
        public void begin(EvalStream stream, String policy, int batch, AdaptationMode mode) {
        }

        @Override
        public void scored(int index, EvalFrame frame, TaskResult prediction) {
        }

        @Override
        public void end() {
        }
    };
}
