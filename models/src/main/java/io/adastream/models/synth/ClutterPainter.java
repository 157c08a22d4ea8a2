package io.adastream.models.synth;

import io.adastream.models.util.SplitMix64;

/**
 * Paints distractor blobs that belong to the background: irregular lobed outlines with soft edges, blended
 * translucently with a speckled colour, so that "an odd patch" alone does not make an object.
 */
final class ClutterPainter {
    private final int width;
    private final int height;
    private final float[] colour = new float[3];

    ClutterPainter(int width, int height) {
        this.width = width;
        this.height = height;
    }

    void paintBlob(SplitMix64 rng, float[] rgb) {
        int minSide = Math.min(width, height);
        float r0 = rng.uniform(0.06f, 0.2f) * minSide;
        float cx = rng.uniform(0f, width);
        float cy = rng.uniform(0f, height);
        float a2 = rng.uniform(0.1f, 0.35f);
        float a5 = rng.uniform(0f, 0.2f);
        float p2 = rng.uniform(0f, 6.2832f);
        float p5 = rng.uniform(0f, 6.2832f);
        float alpha = rng.uniform(0.35f, 0.8f);
        float speckle = rng.uniform(0f, 0.25f);
        Colors.random(rng, 0f, 0.8f, 0.1f, 0.95f, colour);

        float reach = r0 * (1 + a2 + a5);
        int xMin = Math.max(0, (int) Math.floor(cx - reach));
        int xMax = Math.min(width - 1, (int) Math.ceil(cx + reach));
        int yMin = Math.max(0, (int) Math.floor(cy - reach));
        int yMax = Math.min(height - 1, (int) Math.ceil(cy + reach));
        for (int y = yMin; y <= yMax; y++) {
            float dy = y + 0.5f - cy;
            for (int x = xMin; x <= xMax; x++) {
                float dx = x + 0.5f - cx;
                float d = (float) Math.sqrt(dx * dx + dy * dy);
                double theta = Math.atan2(dy, dx);
                float radius = r0 * (float) (1 + a2 * Math.sin(2 * theta + p2) + a5 * Math.sin(5 * theta + p5));
                if (d >= radius) {
                    continue;
                }
                float edge = Math.min(1f, (radius - d) / (0.35f * radius));
                float a = alpha * edge;
                float jitter = speckle * (rng.nextFloat() - 0.5f);
                int o = (y * width + x) * 3;
                for (int c = 0; c < 3; c++) {
                    float target = Colors.clamp01(colour[c] + jitter);
                    rgb[o + c] = rgb[o + c] * (1 - a) + target * a;
                }
            }
        }
    }
}
