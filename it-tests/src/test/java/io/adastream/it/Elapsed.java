package io.adastream.it;

/** Durations measured with {@link System#nanoTime()}, in seconds for the figures of the reliability report. */
final class Elapsed {

    private Elapsed() {
    }

    static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
