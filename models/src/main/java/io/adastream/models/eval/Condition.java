package io.adastream.models.eval;

import io.adastream.models.shift.Corruption;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One imaging condition of the synthetic benchmark: the clean source domain, or a corruption at a severity 1..5.
 * Written {@code clean} or {@code <corruption>-<severity>}, e.g. {@code fog-5}.
 */
public record Condition(Corruption corruption, int severity) {

    /** The clean source domain. */
    public static final Condition CLEAN = new Condition(null, 0);

    public Condition {
        if (corruption == null ? severity != 0 : severity < 1 || severity > Corruption.MAX_SEVERITY) {
            throw new IllegalArgumentException("severity must be 1.." + Corruption.MAX_SEVERITY + " for a corruption"
                    + " and 0 for the clean domain, got " + severity);
        }
    }

    /** {@code clean} or a corruption name followed by {@code -severity}, e.g. {@code fog-5} or {@code low_light-3}. */
    public static Condition parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("clean") || t.equals("source")) {
            return CLEAN;
        }
        int dash = t.lastIndexOf('-');
        if (dash <= 0 || dash == t.length() - 1) {
            throw new IllegalArgumentException("expected 'clean' or CORRUPTION-SEVERITY (e.g. fog-5), got '" + text + "'");
        }
        int severity;
        try {
            severity = Integer.parseInt(t.substring(dash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected CORRUPTION-SEVERITY (e.g. fog-5), got '" + text + "'");
        }
        return new Condition(Corruption.byName(t.substring(0, dash)), severity);
    }

    /** Every corruption at one severity, in {@link Corruption} order. */
    public static List<Condition> allAt(int severity) {
        List<Condition> list = new ArrayList<>();
        for (Corruption c : Corruption.values()) {
            list.add(new Condition(c, severity));
        }
        return list;
    }

    public boolean isClean() {
        return corruption == null;
    }

    /** The condition's name: {@code clean} or e.g. {@code fog-5}. */
    public String label() {
        return isClean() ? "clean" : corruption.id() + "-" + severity;
    }

    /** The image under this condition (a new array; the clean condition returns a copy). */
    public float[] apply(float[] rgbHWC, int width, int height, long seed) {
        return isClean() ? rgbHWC.clone() : corruption.apply(rgbHWC, width, height, severity, seed);
    }

    @Override
    public String toString() {
        return label();
    }
}
