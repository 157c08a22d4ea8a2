package io.adastream.it;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waiting on conditions with a timeout; a timeout fails the test with a description of what was awaited. */
final class Waits {

    private static final long POLL_MS = 50;

    private Waits() {
    }

    /** Returns once the condition holds; fails after the timeout with the description and the state. */
    static void until(String what, Duration timeout, BooleanSupplier condition, Supplier<String> state) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what
                        + (state == null ? "" : " (" + state.get() + ")"));
            }
            pause();
        }
    }

    static void until(String what, Duration timeout, BooleanSupplier condition) {
        until(what, timeout, condition, null);
    }

    /** The poll interval between two checks of a condition (not a wait for an outcome). */
    static void pause() {
        try {
            Thread.sleep(POLL_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
