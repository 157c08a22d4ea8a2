package io.adastream.models.shift;

import io.adastream.models.util.SplitMix64;

/**
 * ImageNet-C {@code fog}: {@code clip((x + t·P) · M / (M + t))} with P a plasma fractal ({@link PlasmaFractal},
 * wibble decay d) added to all channels and M the image maximum. (t, d) = [(0.4, 3), (0.7, 3), (1, 2.5), (1.5, 2),
 * (2, 1.75)] from Tiny-ImageNet-C ({@code make_tinyimagenet_c.py}, 64x64; ImageNet-C 224x224: [(1.5, 2), (2, 2),
 * (2.5, 1.7), (2.5, 1.5), (3, 1.4)]). Adaptation, as in {@code imagecorruptions}: the map side is the next power of
 * two of max(w, h), cropped to the image. Fog scales the scene's contrast by M / (M + t) and adds a smooth haze:
 * edge (local) contrast drops and images darker than the haze get brighter.
 */
final class Fog implements CorruptionKernel {
    static final float[] THICKNESS = {0.4f, 0.7f, 1f, 1.5f, 2f};
    static final float[] WIBBLE_DECAY = {3f, 3f, 2.5f, 2f, 1.75f};

    @Override
    public void apply(float[] src, float[] dst, int width, int height, int severity, SplitMix64 rng) {
        float thickness = THICKNESS[severity - 1];
        int mapSize = Integer.highestOneBit(Math.max(2, Math.max(width, height) - 1)) << 1;
        float[] plasma = PlasmaFractal.generate(mapSize, WIBBLE_DECAY[severity - 1], rng);
        float max = 0f;
        for (float v : src) {
            max = Math.max(max, v);
        }
        float gain = max / (max + thickness);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                float haze = thickness * plasma[y * mapSize + x];
                int o = (y * width + x) * 3;
                for (int c = 0; c < 3; c++) {
                    dst[o + c] = Pixels.clamp01((src[o + c] + haze) * gain);
                }
            }
        }
    }
}
