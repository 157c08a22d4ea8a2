package io.adastream.models.task;

/** What turns a model's class outputs into probabilities: nothing (already probabilities), sigmoid or softmax. */
public enum ScoreActivation {
    NONE, SIGMOID, SOFTMAX;

    /** The activation of a spec name ({@code none}, {@code sigmoid}, {@code softmax}). */
    public static ScoreActivation byName(String name) {
        return switch (name) {
            case "none" -> NONE;
            case "sigmoid" -> SIGMOID;
            case "softmax" -> SOFTMAX;
            default -> throw new IllegalArgumentException("unknown score activation '" + name + "'");
        };
    }

    static float sigmoid(float x) {
        return (float) (1 / (1 + Math.exp(-x)));
    }

    /**
     * The index and probability of the largest of {@code count} class values read at {@code first + k * step},
     * skipping the first {@code skip} of them (a background column), as {@code bestIndex * 2^32 + floatBits}.
     * Softmax runs over all {@code count} values, background included.
     */
    long best(java.nio.FloatBuffer values, int first, int step, int count, int skip) {
        float max = Float.NEGATIVE_INFINITY;
        int best = skip;
        for (int k = skip; k < count; k++) {
            float v = values.get(first + k * step);
            if (v > max) {
                max = v;
                best = k;
            }
        }
        float p = switch (this) {
            case NONE -> max;
            case SIGMOID -> sigmoid(max);
            case SOFTMAX -> softmaxOf(values, first, step, count, max);
        };
        return ((long) best << 32) | (Float.floatToRawIntBits(p) & 0xFFFFFFFFL);
    }

    private static float softmaxOf(java.nio.FloatBuffer values, int first, int step, int count, float top) {
        float ceiling = top;
        for (int k = 0; k < count; k++) {
            ceiling = Math.max(ceiling, values.get(first + k * step));
        }
        double sum = 0;
        for (int k = 0; k < count; k++) {
            sum += Math.exp(values.get(first + k * step) - ceiling);
        }
        return (float) (Math.exp(top - ceiling) / sum);
    }

    static int index(long best) {
        return (int) (best >>> 32);
    }

    static float probability(long best) {
        return Float.intBitsToFloat((int) best);
    }
}
