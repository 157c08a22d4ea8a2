package io.adastream.models.eval;

import java.util.Locale;

/** The benchmark's kinds of stream (see {@link EvalStreams}). */
public enum StreamKind {
    /** One domain at a time, each from fresh source statistics. */
    SINGLE,
    /** Domains one after another without reset. */
    CONTINUAL,
    /** Two conditions alternating in long blocks. */
    CYCLIC;

    /** The name used on the command line and in tables. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
