package io.adastream.cli;

/** Range checks of numeric options, failing with a one-line {@link UsageException} that names the option. */
public final class Ranges {

    private Ranges() {
    }

    public static int check(String option, int value, int min, int max) throws UsageException {
        return Math.toIntExact(check(option, (long) value, min, max));
    }

    public static long check(String option, long value, long min, long max) throws UsageException {
        if (value < min || value > max) {
            throw new UsageException(option + " must be in " + min + ".." + max + ", got " + value);
        }
        return value;
    }
}
