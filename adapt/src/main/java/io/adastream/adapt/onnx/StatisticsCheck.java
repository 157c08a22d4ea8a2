package io.adastream.adapt.onnx;

/**
 * Checks a BatchNormalization node's constants before they become the source statistics: scale, bias and mean
 * finite, variance finite and not negative, epsilon finite and not negative. A model that breaks one of these
 * computes NaN or infinity in that layer whatever the rewrite does.
 */
final class StatisticsCheck {

    private StatisticsCheck() {
    }

    /** The one-line refusal for the first invalid value, or null when all are valid. */
    static String problem(String nodeName, float[] scale, float[] bias, float[] mean, float[] var, float epsilon) {
        String where = "BatchNormalization '" + nodeName + "' ";
        if (!Float.isFinite(epsilon) || epsilon < 0) {
            return where + "has epsilon " + epsilon + "; it must be finite and not negative";
        }
        String p = nonFinite(where, "scale", scale);
        p = p != null ? p : nonFinite(where, "bias", bias);
        p = p != null ? p : nonFinite(where, "mean", mean);
        p = p != null ? p : nonFinite(where, "variance", var);
        if (p != null) {
            return p;
        }
        for (int c = 0; c < var.length; c++) {
            if (var[c] < 0) {
                return where + "has a negative variance " + var[c] + " at channel " + c + "; variances cannot be negative";
            }
        }
        return null;
    }

    private static String nonFinite(String where, String role, float[] values) {
        for (int c = 0; c < values.length; c++) {
            if (!Float.isFinite(values[c])) {
                return where + "has " + role + " " + values[c] + " at channel " + c + "; the statistics must be finite";
            }
        }
        return null;
    }
}
