package io.adastream.adapt.stats;

/** What {@link DomainAdapter#onFrame} did with a frame's moments. */
public enum FrameOutcome {
    /** Folded into the domain's statistics. */
    FOLDED,
    /** Held (not folded) while a shift alarm is open. */
    HELD,
    /** A shift was confirmed: a new segment started from the best prior, with the held frames folded into it. */
    SHIFT_CONFIRMED,
    /** The alarm was dismissed: the held frames (except spikes) and this frame were folded. */
    DISMISSED,
    /** An extreme frame: held aside, and dropped unless a shift is confirmed. */
    SPIKE_SKIPPED,
    /** The moments were not finite (or had negative variances): the state is untouched. */
    REJECTED_NON_FINITE,
    /** The frame's model output could not be used (e.g. not decodable): its moments were not folded, the state is untouched. */
    REJECTED_OUTPUT,
    /** The domain is frozen: the state is untouched. */
    FROZEN,
    /**
     * The two-tier path ran the frame on the domain's baked model (no moments, blend 0, the baked statistics): the
     * statistics are untouched; the version and the two-tier state count the frame.
     */
    BAKED
}
