package io.adastream.models.task;

import io.adastream.models.spec.BundledModels;
import io.adastream.models.spec.ModelSpec;
import io.adastream.models.spec.ModelSpecException;
import io.adastream.models.spec.PixelNormalization;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pre-processing a spec names: channel order, each normalization form, area resampling, letterbox padding. */
class SpecPreprocessingTest {

    /** A 1x1 detector spec whose input block is {@code input}. */
    static ModelSpec spec(String input) throws ModelSpecException {
        String json = """
                {"name": "m", "task": "segmentation", "model": "m.onnx",
                 "input": {"name": "x", %s},
                 "classes": ["background", "a"], "output": {"name": "y"}}
                """.formatted(input);
        return ModelSpec.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "t.json");
    }

    /** The three planes written for one pixel (R, G, B) = (16, 32, 48) under the spec's input. */
    private static float[] onePixel(String input) throws ModelSpecException {
        ImagePreprocessor p = ImagePreprocessor.forInput(spec("\"width\": 1, \"height\": 1, " + input).input());
        BufferedImage image = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, 0x102030);
        FloatBuffer out = FloatBuffer.allocate(3);
        p.preprocess(image, out, 0);
        return new float[]{out.get(0), out.get(1), out.get(2)};
    }

    @Test
    void eachNormalizationFormGivesItsFormula() throws Exception {
        assertArrayEquals(new float[]{(16 / 255f - 0.5f) / 0.25f, (32 / 255f - 0.25f) / 0.5f, (48 / 255f) / 2f},
                onePixel("\"mean\": [0.5, 0.25, 0], \"std\": [0.25, 0.5, 2]"), 1e-6f);
        assertArrayEquals(new float[]{(16 - 10) / 2f, (32 - 20) / 4f, (48 - 30) / 8f},
                onePixel("\"normalize\": \"pixel-mean-std\", \"mean\": [10, 20, 30], \"std\": [2, 4, 8]"), 1e-6f);
        assertArrayEquals(new float[]{16 / 255f, 32 / 255f, 48 / 255f}, onePixel("\"normalize\": \"unit\""), 1e-7f);
        assertArrayEquals(new float[]{(16 - 127) / 128f, (32 - 127) / 128f, (48 - 127) / 128f},
                onePixel("\"normalize\": \"signed-127\""), 1e-7f);
        assertArrayEquals(new float[]{16 * 2f + 1f, 32 * -1f + 0.5f, 48 * 0.5f - 3f},
                onePixel("\"normalize\": \"scale-offset\", \"scale\": [2, -1, 0.5], \"offset\": [1, 0.5, -3]"), 1e-5f);
    }

    @Test
    void bgrModelsGetBlueFirstAndPerChannelValuesInModelOrder() throws Exception {
        assertArrayEquals(new float[]{48, 32, 16},
                onePixel("\"channels\": \"BGR\", \"normalize\": \"scale-offset\", \"scale\": [1, 1, 1], \"offset\": [0, 0, 0]"));
        // mean and std are given in the model's order: B first
        assertArrayEquals(new float[]{(48 - 8) / 2f, (32 - 4) / 2f, (16 - 2) / 2f},
                onePixel("\"channels\": \"BGR\", \"normalize\": \"pixel-mean-std\", \"mean\": [8, 4, 2], \"std\": [2, 2, 2]"), 1e-6f);
    }

    @Test
    void floatScenesFollowTheChannelOrderToo() {
        TensorNormalizer bgr = new TensorNormalizer(true, new float[]{1 / 255f, 1 / 255f, 1 / 255f}, new float[]{0, 0, 0});
        FloatBuffer out = FloatBuffer.allocate(3);
        bgr.rgbHwcToNchw(new float[]{0.1f, 0.2f, 0.3f}, 1, 1, out, 0);
        assertArrayEquals(new float[]{0.3f, 0.2f, 0.1f}, out.array(), 1e-6f);
    }

    @Test
    void bundledSpecsKeepTheirMeaningBitForBit() throws Exception {
        for (String name : new String[]{BundledModels.DETECTOR, BundledModels.SEGMENTER}) {
            ModelSpec.Input in = BundledModels.spec(name).input();
            assertEquals(PixelNormalization.UNIT_MEAN_STD, in.normalization());
            assertFalse(in.bgr());
            assertFalse(in.letterbox());
            assertFalse(in.areaResize());
            int[] pixels = new int[64];
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = i * 0x030507;
            }
            FloatBuffer fromSpec = FloatBuffer.allocate(3 * 64);
            FloatBuffer old = FloatBuffer.allocate(3 * 64);
            TensorNormalizer.forInput(in).packedRgbToNchw(pixels, 8, 8, fromSpec, 0);
            // the normalizer as it was built before specs named their normalization
            new TensorNormalizer(in.mean(), in.std()).packedRgbToNchw(pixels, 8, 8, old, 0);
            assertArrayEquals(old.array(), fromSpec.array());
            float[] first = {((pixels[5] >> 16) & 0xFF) / 255f, ((pixels[5] >> 8) & 0xFF) / 255f, (pixels[5] & 0xFF) / 255f};
            for (int c = 0; c < 3; c++) {
                assertEquals((first[c] - in.mean()[c]) / in.std()[c], fromSpec.get(c * 64 + 5), 1e-5);
            }
        }
    }

    @Test
    void areaResizeAveragesTheCoveredPixels() {
        // 3x1 -> 2x1: target 0 covers [0, 1.5) = 2/3 of pixel 0 and 1/3 of pixel 1, target 1 the rest
        int[] src = {grey(0), grey(90), grey(180)};
        int[] dst = new int[2];
        new AreaResizer().resize(src, LetterboxTransform.stretch(3, 1, 2, 1), 0, dst);
        assertEquals(grey(30), dst[0]);
        assertEquals(grey(150), dst[1]);
        // 4x2 -> 2x1: each target pixel is the mean of a 2x2 block, per channel
        int[] block = {0x000000, 0x040404, 0x102030, 0x000000, 0x080808, 0x0C0C0C, 0x203040, 0x000000};
        int[] two = new int[2];
        new AreaResizer().resize(block, LetterboxTransform.stretch(4, 2, 2, 1), 0, two);
        assertEquals(0x060606, two[0]);
        assertEquals((0x0C << 16) | (0x14 << 8) | 0x1C, two[1]);
    }

    @Test
    void areaResizeLetterboxesAndReusesItsTablesAcrossFrames() {
        // 8x4 of grey 100 | grey 200 halves into 4x4 letterboxed: content 4x2 between one padded row above and below
        int[] src = new int[32];
        for (int i = 0; i < 32; i++) {
            src[i] = grey(i % 8 < 4 ? 100 : 200);
        }
        AreaResizer resizer = new AreaResizer();
        int[] dst = new int[16];
        for (int frame = 0; frame < 2; frame++) {
            resizer.resize(src, LetterboxTransform.letterbox(8, 4, 4, 4), grey(7), dst);
            assertArrayEquals(new int[]{grey(7), grey(7), grey(7), grey(7),
                    grey(100), grey(100), grey(200), grey(200),
                    grey(100), grey(100), grey(200), grey(200),
                    grey(7), grey(7), grey(7), grey(7)}, dst);
        }
        // another frame size rebuilds the tables: 4x4 -> 4x4 letterbox is no shrink, i.e. bilinear (here a copy)
        int[] same = new int[16];
        resizer.resize(dst, LetterboxTransform.letterbox(4, 4, 4, 4), 0, same);
        assertArrayEquals(dst, same);
    }

    @Test
    void preprocessorTakesAreaResizeAndPadFromTheSpec() throws Exception {
        ModelSpec s = spec("\"width\": 2, \"height\": 2, \"resize\": \"letterbox\", \"interpolation\": \"area\", "
                + "\"normalize\": \"unit\", \"pad\": [255, 0, 51]");
        BufferedImage image = new BufferedImage(4, 2, BufferedImage.TYPE_INT_RGB);
        int[] values = {0, 40, 80, 120, 20, 60, 100, 140};
        for (int i = 0; i < 8; i++) {
            image.setRGB(i % 4, i / 4, grey(values[i]));
        }
        FloatBuffer out = FloatBuffer.allocate(12);
        LetterboxTransform t = ImagePreprocessor.forInput(s.input()).preprocess(image, out, 0);
        assertEquals(0.5f, t.scaleX());
        // row 0: content (4x2 halves to 2x1), means of 2x2 blocks 30 and 110; row 1: padding (255, 0, 51)
        assertArrayEquals(new float[]{30 / 255f, 110 / 255f, 1f, 1f, 30 / 255f, 110 / 255f, 0f, 0f,
                30 / 255f, 110 / 255f, 0.2f, 0.2f}, out.array(), 1e-6f);
    }

    @Test
    void badPreprocessingFieldsAreRefusedWithOneLine() {
        String[] bad = {
                "\"channels\": \"RGBA\"",
                "\"interpolation\": \"cubic\"",
                "\"normalize\": \"zscore\"",
                "\"normalize\": \"unit\", \"mean\": [0, 0, 0], \"std\": [1, 1, 1]",
                "\"normalize\": \"scale-offset\", \"scale\": [1, 1]",
                "\"normalize\": \"scale-offset\", \"scale\": [1, 0, 1], \"offset\": [0, 0, 0]",
                "\"normalize\": \"pixel-mean-std\"",
                "\"layout\": \"NHWC\", \"mean\": [0, 0, 0], \"std\": [1, 1, 1]",
                "\"pad\": [0, 0, 256], \"mean\": [0, 0, 0], \"std\": [1, 1, 1]",
                "\"mean\": [0, 0, 0]"};
        for (String input : bad) {
            ModelSpecException e = assertThrows(ModelSpecException.class,
                    () -> spec("\"width\": 4, \"height\": 4, " + input), input);
            assertTrue(e.getMessage().startsWith("t.json: "), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }

    private static int grey(int v) {
        return (v << 16) | (v << 8) | v;
    }
}
