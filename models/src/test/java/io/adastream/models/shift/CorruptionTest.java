package io.adastream.models.shift;

import io.adastream.models.synth.Scene;
import io.adastream.models.synth.SceneGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.function.ToDoubleFunction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CorruptionTest {
    private static final int W = 64;
    private static final int H = 64;
    private static final long SEED = 1234;
    private static float[] image;

    @BeforeAll
    static void scene() {
        SceneGenerator generator = new SceneGenerator(77, W, H);
        Scene scene = generator.next();
        image = scene.rgb();
    }

    @ParameterizedTest
    @EnumSource(Corruption.class)
    void severityZeroIsAnExactCopy(Corruption corruption) {
        float[] out = corruption.apply(image, W, H, 0, SEED);
        assertArrayEquals(image, out);
        assertNotSame(image, out);
    }

    @ParameterizedTest
    @EnumSource(Corruption.class)
    void everySeverityChangesTheImageStaysInRangeAndLeavesTheInputAlone(Corruption corruption) {
        float[] before = image.clone();
        for (int s = 1; s <= 5; s++) {
            float[] out = corruption.apply(image, W, H, s, SEED);
            assertFalse(Arrays.equals(image, out), corruption + " severity " + s + " changed nothing");
            for (float v : out) {
                assertTrue(v >= 0f && v <= 1f, corruption + " value " + v);
            }
        }
        assertArrayEquals(before, image);
    }

    @ParameterizedTest
    @EnumSource(Corruption.class)
    void sameSeedSameOutput(Corruption corruption) {
        assertArrayEquals(corruption.apply(image, W, H, 3, SEED), corruption.apply(image, W, H, 3, SEED));
    }

    @Test
    void randomCorruptionsDependOnTheSeed() {
        for (Corruption c : new Corruption[]{Corruption.GAUSSIAN_NOISE, Corruption.SHOT_NOISE,
                Corruption.IMPULSE_NOISE, Corruption.FOG, Corruption.MOTION_BLUR, Corruption.LOW_LIGHT,
                Corruption.COLOR_CAST}) {
            assertFalse(Arrays.equals(c.apply(image, W, H, 3, 1), c.apply(image, W, H, 3, 2)), c.toString());
        }
    }

    @Test
    void noiseRaisesHighFrequencyEnergyMonotonically() {
        ToDoubleFunction<float[]> hf = x -> ImageStats.highFrequencyEnergy(x, W, H);
        for (Corruption c : new Corruption[]{Corruption.GAUSSIAN_NOISE, Corruption.SHOT_NOISE,
                Corruption.IMPULSE_NOISE}) {
            assertStrictlyMonotone(c, hf, +1);
        }
    }

    @Test
    void blursLowerHighFrequencyEnergyMonotonically() {
        ToDoubleFunction<float[]> hf = x -> ImageStats.highFrequencyEnergy(x, W, H);
        assertStrictlyMonotone(Corruption.DEFOCUS_BLUR, hf, -1);
        assertStrictlyMonotone(Corruption.MOTION_BLUR, hf, -1);
    }

    @Test
    void brightnessRaisesTheMean() {
        assertStrictlyMonotone(Corruption.BRIGHTNESS, ImageStats::mean, +1);
    }

    @Test
    void contrastLowersTheStdAndKeepsTheMean() {
        assertStrictlyMonotone(Corruption.CONTRAST, ImageStats::std, -1);
        // no clipping can occur when shrinking toward the mean, so the channel means are kept exactly (to float)
        float[] out = Corruption.CONTRAST.apply(image, W, H, 5, SEED);
        for (int c = 0; c < 3; c++) {
            assertEquals(ImageStats.channelMean(image, c), ImageStats.channelMean(out, c), 1e-5);
        }
        // the std shrinks by the documented factor 0.05 at severity 5
        assertEquals(0.05 * ImageStats.std(image), ImageStats.std(out), 1e-5);
    }

    @Test
    void lowLightLowersTheMean() {
        assertStrictlyMonotone(Corruption.LOW_LIGHT, ImageStats::mean, -1);
    }

    @Test
    void fogLowersLocalContrastAndBrightensADarkImage() {
        // fog scales the scene by M / (M + t) and adds a smooth haze: edge (high-frequency) energy falls (strictly
        // with severity on the scene; on a dark, low-contrast image the rougher haze of severity 5 can add back a
        // little, so there only "below clean"), and an image darker than the haze gets brighter with each severity
        float[] dark = image.clone();
        for (int i = 0; i < dark.length; i++) {
            dark[i] *= 0.5f;
        }
        double cleanEdges = ImageStats.highFrequencyEnergy(dark, W, H);
        double previousMean = ImageStats.mean(dark);
        for (int s = 1; s <= 5; s++) {
            float[] out = Corruption.FOG.apply(dark, W, H, s, SEED);
            double edges = ImageStats.highFrequencyEnergy(out, W, H);
            double mean = ImageStats.mean(out);
            assertTrue(edges < cleanEdges, "fog " + s + " edge energy " + edges + " >= " + cleanEdges);
            assertTrue(mean > previousMean, "fog " + s + " mean " + mean + " <= " + previousMean);
            previousMean = mean;
        }
        assertStrictlyMonotone(Corruption.FOG, x -> ImageStats.highFrequencyEnergy(x, W, H), -1);
    }

    @Test
    void jpegErrorGrowsAsQualityFallsAndAddsBlockEdges() {
        assertStrictlyMonotone(Corruption.JPEG_COMPRESSION, x -> ImageStats.meanAbsoluteDifference(x, image), +1);
        float[] worst = Corruption.JPEG_COMPRESSION.apply(image, W, H, 5, SEED);
        assertTrue(ImageStats.blockiness(worst, W, H) > ImageStats.blockiness(image, W, H) * 1.2,
                "blockiness " + ImageStats.blockiness(worst, W, H) + " vs " + ImageStats.blockiness(image, W, H));
    }

    @Test
    void pixelateRepeatsPixelsMoreAtHigherSeverity() {
        assertStrictlyMonotone(Corruption.PIXELATE, x -> ImageStats.equalNeighbourFraction(x, W, H), +1);
        assertStrictlyMonotone(Corruption.PIXELATE, x -> ImageStats.meanAbsoluteDifference(x, image), +1);
    }

    @Test
    void pixelateOfAConstantBlockImageAtHalfSizeIsExact() {
        // a 4x4 image whose 2x2 blocks are constant survives BOX down to 2x2 and back unchanged
        float[] blocks = new float[4 * 4 * 3];
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                float v = (y / 2) * 0.5f + (x / 2) * 0.25f;
                Arrays.fill(blocks, (y * 4 + x) * 3, (y * 4 + x) * 3 + 3, v);
            }
        }
        float[] small = Pixelate.resize(blocks, 4, 4, 2, 2);
        assertArrayEquals(new float[]{0f, 0f, 0f, .25f, .25f, .25f, .5f, .5f, .5f, .75f, .75f, .75f}, small);
        assertArrayEquals(blocks, Pixelate.resize(small, 2, 2, 4, 4));
    }

    @Test
    void colorCastShiftsChannelBalanceMonotonically() {
        ToDoubleFunction<float[]> imbalance = x -> {
            double worst = 0;
            for (int c = 0; c < 3; c++) {
                worst = Math.max(worst, Math.abs(Math.log(ImageStats.channelMean(x, c) / ImageStats.channelMean(image, c))));
            }
            return worst;
        };
        assertStrictlyMonotone(Corruption.COLOR_CAST, imbalance, +1);
    }

    @Test
    void defocusKernelIsNormalizedAndMatchesTheAliasedDisk() {
        float[] k = DefocusBlur.kernel(1f, 0.01f, 2);
        double sum = 0;
        for (float v : k) {
            sum += v;
        }
        assertEquals(1.0, sum, 1e-6);
        // radius 1 covers the centre and its 4 neighbours, 1/5 each; sigma 0.01 leaves them unchanged
        assertEquals(0.2, k[2 * 5 + 2], 1e-6);
        assertEquals(0.2, k[1 * 5 + 2], 1e-6);
        assertEquals(0.0, k[1 * 5 + 1], 1e-6);
    }

    @Test
    void plasmaFractalIsNormalized() {
        float[] map = PlasmaFractal.generate(64, 2.0, new io.adastream.models.util.SplitMix64(5));
        float min = 1f;
        float max = 0f;
        for (float v : map) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertEquals(0f, min);
        assertEquals(1f, max);
    }

    @Test
    void namesResolveLeniently() {
        assertEquals(Corruption.LOW_LIGHT, Corruption.byName("low-light"));
        assertEquals(Corruption.COLOR_CAST, Corruption.byName("Color-Cast"));
        assertEquals(Corruption.GAUSSIAN_NOISE, Corruption.byName("gaussian_noise"));
        assertEquals(12, Corruption.names().size());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Corruption.byName("snow"));
        assertTrue(e.getMessage().contains("fog"), e.getMessage());
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> Corruption.FOG.apply(image, W, H, 6, SEED));
        assertThrows(IllegalArgumentException.class, () -> Corruption.FOG.apply(image, W, H, -1, SEED));
        assertThrows(IllegalArgumentException.class, () -> Corruption.FOG.apply(image, W, H + 1, 1, SEED));
    }

    private static void assertStrictlyMonotone(Corruption c, ToDoubleFunction<float[]> stat, int direction) {
        double previous = stat.applyAsDouble(image);
        for (int s = 1; s <= 5; s++) {
            double value = stat.applyAsDouble(c.apply(image, W, H, s, SEED));
            assertTrue(direction * (value - previous) > 0,
                    c + " severity " + s + ": " + value + " not " + (direction > 0 ? "above " : "below ") + previous);
            previous = value;
        }
    }
}
