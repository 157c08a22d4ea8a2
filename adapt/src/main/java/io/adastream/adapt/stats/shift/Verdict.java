package io.adastream.adapt.stats.shift;

/** What the shift detector says about one frame. */
public enum Verdict {
    /** No alarm open: fold the frame. */
    NORMAL,
    /** An alarm is open: hold the frame (w = 0) until the window confirms or dismisses. */
    HOLD,
    /** Held like {@link #HOLD}, but an extreme frame (ratio above ρ_hard): dropped if the alarm is dismissed. */
    SPIKE,
    /** The alarm is confirmed: a new segment starts with the held frames. */
    CONFIRMED,
    /** The window passed without confirmation: fold the held frames and this one. */
    DISMISSED
}
