package io.adastream.models.task;

import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PreprocessingTest {

    @Test
    void letterboxKeepsAspectAndMapsBoxesBack() {
        // 200x100 into 64x64: scale 0.32, content 64x32, padded 16 rows above and below
        LetterboxTransform t = LetterboxTransform.letterbox(200, 100, 64, 64);
        assertEquals(64, t.contentWidth());
        assertEquals(32, t.contentHeight());
        assertEquals(0f, t.padX());
        assertEquals(16f, t.padY());
        Box back = t.toSource(new Box(16f, 24f, 32f, 40f));
        assertEquals(50f, back.x0(), 1e-4);
        assertEquals(25f, back.y0(), 1e-4);
        assertEquals(100f, back.x1(), 1e-4);
        assertEquals(75f, back.y1(), 1e-4);
        // boxes reaching into the padding are clipped to the image
        Box clipped = t.toSource(new Box(-5f, 0f, 70f, 64f));
        assertEquals(new Box(0f, 0f, 200f, 100f), clipped);
    }

    @Test
    void stretchScalesAxesIndependently() {
        LetterboxTransform t = LetterboxTransform.stretch(128, 32, 64, 64);
        assertEquals(new Box(20f, 2.5f, 40f, 5f), t.toSource(new Box(10f, 5f, 20f, 10f)));
    }

    @Test
    void bilinearResizeOfATwoPixelImage() {
        // 2x1 image black | white, stretched to 4x1: sample x = (i + 0.5) / 2 - 0.5 = -0.25, 0.25, 0.75, 1.25
        // -> clamped 0, 0.25, 0.75, 1 (clamped) -> 0, 64 (63.75 rounds to 64), 191 (191.25), 255
        int[] dst = new int[4];
        ImageResizer.resize(new int[]{0x000000, 0xFFFFFF}, LetterboxTransform.stretch(2, 1, 4, 1), 0, dst);
        assertEquals(0, dst[0] & 0xFF);
        assertEquals(64, dst[1] & 0xFF);
        assertEquals(191, dst[2] & 0xFF);
        assertEquals(255, dst[3] & 0xFF);
    }

    @Test
    void letterboxPadsWithTheGivenColour() {
        int[] src = new int[4 * 2];
        java.util.Arrays.fill(src, 0x102030);
        int[] dst = new int[4 * 4];
        ImageResizer.resize(src, LetterboxTransform.letterbox(4, 2, 4, 4), 0x727272, dst);
        for (int x = 0; x < 4; x++) {
            assertEquals(0x727272, dst[x]);
            assertEquals(0x102030, dst[4 + x]);
            assertEquals(0x102030, dst[8 + x]);
            assertEquals(0x727272, dst[12 + x]);
        }
    }

    @Test
    void normalizerFillsAnNchwSlotAtAnOffset() {
        TensorNormalizer n = new TensorNormalizer(new float[]{0.5f, 0.25f, 0f}, new float[]{0.5f, 0.25f, 2f});
        int[] pixels = {0xFF0000, 0x00FF80};
        FloatBuffer buffer = FloatBuffer.allocate(2 * 6);
        buffer.put(0, 99f);
        n.packedRgbToNchw(pixels, 2, 1, buffer, 6);
        assertEquals(99f, buffer.get(0));
        // R plane: (1 - 0.5) / 0.5 = 1, (0 - 0.5) / 0.5 = -1
        assertEquals(1f, buffer.get(6), 1e-6);
        assertEquals(-1f, buffer.get(7), 1e-6);
        // G plane: (0 - 0.25) / 0.25 = -1, (1 - 0.25) / 0.25 = 3
        assertEquals(-1f, buffer.get(8), 1e-6);
        assertEquals(3f, buffer.get(9), 1e-6);
        // B plane: 0 / 2 = 0, (128 / 255) / 2
        assertEquals(0f, buffer.get(10), 1e-6);
        assertEquals(128f / 255f / 2f, buffer.get(11), 1e-6);
        assertThrows(IndexOutOfBoundsException.class, () -> n.packedRgbToNchw(pixels, 2, 1, buffer, 7));
    }

    @Test
    void preprocessorLetterboxesAndNormalizesAnImage() {
        BufferedImage image = new BufferedImage(8, 4, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 8; x++) {
                image.setRGB(x, y, 0xFF8000);
            }
        }
        ImagePreprocessor p = new ImagePreprocessor(4, 4, true, TensorNormalizer.UNIT, 0x000000);
        FloatBuffer batch = FloatBuffer.allocate(2 * p.slotSize());
        LetterboxTransform t = p.preprocess(image, batch, p.slotSize());
        assertEquals(1f, t.padY());
        // second slot (offset 48 = 3 x 4 x 4): row 0 is padding (0), rows 1..2 the image, row 3 padding; R = 1, G = 128/255, B = 0
        int slot = 48;
        assertEquals(0f, batch.get(slot));
        assertEquals(1f, batch.get(slot + 4), 1e-6);
        assertEquals(1f, batch.get(slot + 11), 1e-6);
        assertEquals(0f, batch.get(slot + 12));
        assertEquals(128f / 255f, batch.get(slot + 16 + 4), 1e-6);
        assertEquals(0f, batch.get(slot + 32 + 4), 1e-6);
        assertEquals(0f, batch.get(0));
    }

    @Test
    void sceneFloatsGoToNchw() {
        float[] rgb = {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f};
        FloatBuffer buffer = FloatBuffer.allocate(6);
        TensorNormalizer.UNIT.rgbHwcToNchw(rgb, 2, 1, buffer, 0);
        float[] out = new float[6];
        buffer.get(0, out);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new float[]{0.1f, 0.4f, 0.2f, 0.5f, 0.3f, 0.6f}, out);
    }
}
