package io.adastream.models.shift;

import io.adastream.models.util.SplitMix64;

/**
 * The diamond-square height map used by ImageNet-C's fog ({@code plasma_fractal}, itself a modification of
 * github.com/FLHerne/mapgen): toroidal, side a power of two, random "wibble" starting at 100 and divided by
 * {@code wibbleDecay} per level, normalized to [0, 1].
 */
final class PlasmaFractal {
    private PlasmaFractal() {
    }

    /** A {@code mapSize x mapSize} row-major map with values in [0, 1]. */
    static float[] generate(int mapSize, double wibbleDecay, SplitMix64 rng) {
        if (mapSize < 2 || Integer.bitCount(mapSize) != 1) {
            throw new IllegalArgumentException("map size must be a power of two >= 2: " + mapSize);
        }
        double[] map = new double[mapSize * mapSize];
        double wibble = 100;
        for (int step = mapSize; step >= 2; step /= 2) {
            int half = step / 2;
            // squares: centre of each square = mean of its 4 corners + wibble
            for (int y = 0; y < mapSize; y += step) {
                for (int x = 0; x < mapSize; x += step) {
                    int y2 = (y + step) % mapSize;
                    int x2 = (x + step) % mapSize;
                    double corners = map[y * mapSize + x] + map[y2 * mapSize + x]
                            + map[y * mapSize + x2] + map[y2 * mapSize + x2];
                    map[(y + half) * mapSize + x + half] = corners / 4 + wibble * (2 * rng.nextDouble() - 1) * wibble;
                }
            }
            // diamonds: edge midpoints = mean of the two neighbouring centres and two corners + wibble
            for (int y = 0; y < mapSize; y += step) {
                for (int x = 0; x < mapSize; x += step) {
                    int yUp = Math.floorMod(y - half, mapSize);
                    int x2 = (x + step) % mapSize;
                    double top = map[(y + half) * mapSize + x + half] + map[yUp * mapSize + x + half]
                            + map[y * mapSize + x] + map[y * mapSize + x2];
                    map[y * mapSize + x + half] = top / 4 + wibble * (2 * rng.nextDouble() - 1) * wibble;
                }
            }
            for (int y = 0; y < mapSize; y += step) {
                for (int x = 0; x < mapSize; x += step) {
                    int xLeft = Math.floorMod(x - half, mapSize);
                    int y2 = (y + step) % mapSize;
                    double left = map[(y + half) * mapSize + x + half] + map[(y + half) * mapSize + xLeft]
                            + map[y * mapSize + x] + map[y2 * mapSize + x];
                    map[(y + half) * mapSize + x] = left / 4 + wibble * (2 * rng.nextDouble() - 1) * wibble;
                }
            }
            wibble /= wibbleDecay;
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : map) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double range = max > min ? max - min : 1;
        float[] out = new float[map.length];
        for (int i = 0; i < map.length; i++) {
            out[i] = (float) ((map[i] - min) / range);
        }
        return out;
    }
}
