package io.adastream.models.synth;

import io.adastream.models.util.SplitMix64;

/**
 * Paints a textured background: a colour gradient in a random direction, smooth value noise (per channel, bilinear
 * with smoothstep weights on a random coarse grid) and, on half of the frames, sinusoidal stripes.
 */
final class BackgroundPainter {
    private static final int MIN_CELL = 6;

    private final int width;
    private final int height;
    private final float[] grid;
    private final float[] base = new float[3];
    private final float[] gradient = new float[3];
    private final float[] stripeAmp = new float[3];

    BackgroundPainter(int width, int height) {
        this.width = width;
        this.height = height;
        this.grid = new float[(width / MIN_CELL + 2) * (height / MIN_CELL + 2) * 3];
    }

    void paint(SplitMix64 rng, float[] rgb) {
        Colors.random(rng, 0.05f, 0.7f, 0.25f, 0.85f, base);
        for (int c = 0; c < 3; c++) {
            gradient[c] = rng.uniform(-0.35f, 0.35f);
        }
        float angle = rng.uniform(0f, (float) (2 * Math.PI));
        float gx = (float) Math.cos(angle) / Math.max(width, height);
        float gy = (float) Math.sin(angle) / Math.max(width, height);

        int cell = MIN_CELL + rng.nextInt(Math.max(1, Math.min(width, height) / 3 - MIN_CELL + 1));
        int gw = width / cell + 2;
        int gh = height / cell + 2;
        for (int i = 0; i < gw * gh * 3; i++) {
            grid[i] = rng.nextFloat() - 0.5f;
        }
        float noiseAmp = rng.uniform(0.1f, 0.45f);

        boolean stripes = rng.nextFloat() < 0.5f;
        float stripeAngle = rng.uniform(0f, (float) Math.PI);
        float period = rng.uniform(4f, 16f);
        float kx = (float) (2 * Math.PI * Math.cos(stripeAngle) / period);
        float ky = (float) (2 * Math.PI * Math.sin(stripeAngle) / period);
        float phase = rng.uniform(0f, (float) (2 * Math.PI));
        for (int c = 0; c < 3; c++) {
            stripeAmp[c] = stripes ? rng.uniform(-0.15f, 0.15f) : 0f;
        }

        float invCell = 1f / cell;
        for (int y = 0; y < height; y++) {
            float fy = y * invCell;
            int iy = (int) fy;
            float ty = smooth(fy - iy);
            for (int x = 0; x < width; x++) {
                float fx = x * invCell;
                int ix = (int) fx;
                float tx = smooth(fx - ix);
                float along = (x - width * 0.5f) * gx + (y - height * 0.5f) * gy;
                float stripe = stripes ? (float) Math.sin(x * kx + y * ky + phase) : 0f;
                int g00 = (iy * gw + ix) * 3;
                int g10 = g00 + 3;
                int g01 = g00 + gw * 3;
                int g11 = g01 + 3;
                int o = (y * width + x) * 3;
                for (int c = 0; c < 3; c++) {
                    float top = grid[g00 + c] + (grid[g10 + c] - grid[g00 + c]) * tx;
                    float bottom = grid[g01 + c] + (grid[g11 + c] - grid[g01 + c]) * tx;
                    float noise = top + (bottom - top) * ty;
                    float v = base[c] + gradient[c] * along + noiseAmp * noise + stripeAmp[c] * stripe;
                    rgb[o + c] = Colors.clamp01(v);
                }
            }
        }
    }

    private static float smooth(float t) {
        return t * t * (3 - 2 * t);
    }
}
