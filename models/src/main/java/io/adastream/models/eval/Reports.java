package io.adastream.models.eval;

import io.adastream.adapt.inference.AdaptationMode;

import java.util.Locale;

/** Small formatting helpers shared by the progress lines and the markdown report. */
final class Reports {

    private Reports() {
    }

    static String modeName(AdaptationMode mode) {
        return mode == AdaptationMode.FUSED ? "fused" : "two-pass";
    }

    /** An accuracy in [0, 1] as points with one decimal ({@code 61.6}); NaN as a dash. */
    static String points(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.1f", 100 * v);
    }

    /** An accuracy as points with two decimals, for target lines. */
    static String points2(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.2f", 100 * v);
    }

    static String ms(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.2f", v);
    }
}
