package io.adastream.models.synth;

import io.adastream.models.util.SplitMix64;

/**
 * Paints one object: a rotated shape filled with a random colour and one of several textures (flat, stripes,
 * checker, gradient, speckle), so that colour and texture do not reveal the class and shape has to. Records the
 * painting object's id per pixel in the owner map, so later objects occlude earlier ones.
 */
final class ObjectPainter {
    private static final int FLAT = 0;
    private static final int STRIPES = 1;
    private static final int CHECKER = 2;
    private static final int GRADIENT = 3;
    private static final int SPECKLE = 4;
    private static final int TEXTURES = 5;

    private final int width;
    private final int height;
    private final float[] first = new float[3];
    private final float[] second = new float[3];

    ObjectPainter(int width, int height) {
        this.width = width;
        this.height = height;
    }

    /**
     * Paints the shape and returns how many in-frame pixels it covered. {@code avoid} is a colour (e.g. the
     * background under the centre) that the fill colour is kept away from, so objects rarely vanish.
     */
    int paint(SplitMix64 rng, float[] rgb, int[] owner, int ownerId, ShapeKind kind,
              float cx, float cy, float r, float[] avoid) {
        float angle = rng.uniform(0f, (float) (2 * Math.PI));
        float cos = (float) Math.cos(angle);
        float sin = (float) Math.sin(angle);
        pickColour(rng, avoid, first);
        Colors.random(rng, 0.1f, 1f, 0.1f, 1f, second);
        float mix = rng.uniform(0.3f, 0.7f);
        for (int c = 0; c < 3; c++) {
            second[c] = first[c] + (second[c] - first[c]) * mix;
        }
        int texture = rng.nextInt(TEXTURES);
        float period = rng.uniform(2.5f, 7f);
        float speckle = rng.uniform(0.08f, 0.25f);

        int xMin = Math.max(0, (int) Math.floor(cx - r));
        int xMax = Math.min(width - 1, (int) Math.ceil(cx + r));
        int yMin = Math.max(0, (int) Math.floor(cy - r));
        int yMax = Math.min(height - 1, (int) Math.ceil(cy + r));
        int drawn = 0;
        for (int y = yMin; y <= yMax; y++) {
            float dy = y + 0.5f - cy;
            for (int x = xMin; x <= xMax; x++) {
                float dx = x + 0.5f - cx;
                float u = dx * cos + dy * sin;
                float v = -dx * sin + dy * cos;
                if (!kind.contains(u, v, r)) {
                    continue;
                }
                drawn++;
                int p = y * width + x;
                owner[p] = ownerId;
                float t = weight(rng, texture, u, v, r, period);
                float jitter = texture == SPECKLE ? speckle * (rng.nextFloat() - 0.5f) : 0f;
                int o = p * 3;
                for (int c = 0; c < 3; c++) {
                    rgb[o + c] = Colors.clamp01(first[c] + (second[c] - first[c]) * t + jitter);
                }
            }
        }
        return drawn;
    }

    private static float weight(SplitMix64 rng, int texture, float u, float v, float r, float period) {
        return switch (texture) {
            case STRIPES -> ((int) Math.floor(u / period) & 1);
            case CHECKER -> (((int) Math.floor(u / period) + (int) Math.floor(v / period)) & 1);
            case GRADIENT -> Colors.clamp01(0.5f + 0.5f * v / r);
            case SPECKLE -> rng.nextFloat() * 0.5f;
            default -> 0f;
        };
    }

    private static void pickColour(SplitMix64 rng, float[] avoid, float[] out) {
        for (int attempt = 0; attempt < 6; attempt++) {
            Colors.random(rng, 0f, 1f, 0.05f, 1f, out);
            float distance = Math.abs(out[0] - avoid[0]) + Math.abs(out[1] - avoid[1]) + Math.abs(out[2] - avoid[2]);
            if (distance > 0.6f) {
                return;
            }
        }
    }
}
