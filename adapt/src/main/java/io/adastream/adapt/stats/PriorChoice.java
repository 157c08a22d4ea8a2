package io.adastream.adapt.stats;

/** Which statistics a new segment started from after a confirmed shift (docs/algorithms.md §11.6, step 2). */
public enum PriorChoice {
    /** No shift has been confirmed by the last frame. */
    NONE,
    /** The source statistics. */
    SOURCE,
    /** The estimate from before the shift. */
    PREVIOUS,
    /** A closed segment of the {@code balanced} library. */
    SEGMENT
}
