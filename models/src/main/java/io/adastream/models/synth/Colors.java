package io.adastream.models.synth;

import io.adastream.models.util.SplitMix64;

/** Random colours for scene painting. */
final class Colors {
    private Colors() {
    }

    /** Writes the RGB of (hue in [0,1), saturation, value) into {@code out[0..2]}. */
    static void hsvToRgb(float hue, float saturation, float value, float[] out) {
        float h6 = (hue - (float) Math.floor(hue)) * 6f;
        int sector = Math.min((int) h6, 5);
        float f = h6 - sector;
        float p = value * (1 - saturation);
        float q = value * (1 - saturation * f);
        float t = value * (1 - saturation * (1 - f));
        float r;
        float g;
        float b;
        switch (sector) {
            case 0 -> { r = value; g = t; b = p; }
            case 1 -> { r = q; g = value; b = p; }
            case 2 -> { r = p; g = value; b = t; }
            case 3 -> { r = p; g = q; b = value; }
            case 4 -> { r = t; g = p; b = value; }
            default -> { r = value; g = p; b = q; }
        }
        out[0] = r;
        out[1] = g;
        out[2] = b;
    }

    /** A random colour over the whole hue circle, with saturation and value drawn from the given ranges. */
    static void random(SplitMix64 rng, float minSat, float maxSat, float minVal, float maxVal, float[] out) {
        hsvToRgb(rng.nextFloat(), rng.uniform(minSat, maxSat), rng.uniform(minVal, maxVal), out);
    }

    static float clamp01(float v) {
        return v < 0f ? 0f : Math.min(v, 1f);
    }
}
