package io.adastream.models.eval.pictures;

import io.adastream.adapt.inference.AdaptationMode;
import io.adastream.models.eval.AccuracyTrace;
import io.adastream.models.eval.EvalFrame;
import io.adastream.models.eval.StreamTrace;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Known answers: the strip's pixels are the input's and the palette colours of the masks' classes. */
class FrameStripTest {

    private static final int W = 5;
    private static final int H = 3;
    private static final ClassPalette PALETTE = ClassPalette.of(0x102030, 0xFF0000, 0x00FF00);
    private static final List<String> CLASSES = List.of("background", "red", "green");

    /** A mask whose pixel (x, y) is class (x + y + shift) mod 3; truth pixel (4, 2) is the ignore id 255. */
    private static byte[] mask(int shift, boolean ignore) {
        byte[] m = new byte[W * H];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                m[y * W + x] = (byte) ((x + y + shift) % 3);
            }
        }
        if (ignore) {
            m[2 * W + 4] = (byte) 255;
        }
        return m;
    }

    private static StreamTrace stream() {
        List<StreamTrace.SampleFrame> samples = new java.util.ArrayList<>();
        for (int c = 0; c < 2; c++) {
            int[] rgb = new int[W * H];
            for (int i = 0; i < rgb.length; i++) {
                rgb[i] = (c * 100 + i) << 8 | 7;
            }
            EvalFrame frame = new EvalFrame(W, H, rgb, mask(0, true), List.of());
            samples.add(new StreamTrace.SampleFrame(10 * c + 3, c == 0 ? "clean" : "fog-5", frame,
                    Map.of("source", mask(1, false), "ema", mask(2, false), "adabn", mask(0, false))));
        }
        AccuracyTrace t = new AccuracyTrace("source", 1, AdaptationMode.FUSED, 2, new double[20]);
        return new StreamTrace("s", 20, List.of(new StreamTrace.Segment(0, "clean"), new StreamTrace.Segment(10, "fog-5")),
                List.of(t), samples);
    }

    @Test
    void tilesShowTheInputAndTheMasksInThePalette() {
        BufferedImage image = FrameStrip.render(stream(), "ema", PALETTE, CLASSES);
        FrameStrip.Layout layout = FrameStrip.layout(W, H, 2, 4, List.of("background", "red", "green", "ignore"));
        assertEquals(layout.width(), image.getWidth());
        assertEquals(layout.height(), image.getHeight());
        assertEquals(36, layout.scale(), "5 pixels wide scaled to at least 180");
        for (int c = 0; c < 2; c++) {
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    int i = y * W + x;
                    // rows: input, source (class x+y+1), ema (class x+y+2), ground truth (class x+y, ignore at (4, 2))
                    assertEquals((c * 100 + i) << 8 | 7, pixel(image, layout, 0, c, x, y), "input");
                    assertEquals(PALETTE.rgb((x + y + 1) % 3), pixel(image, layout, 1, c, x, y), "source");
                    assertEquals(PALETTE.rgb((x + y + 2) % 3), pixel(image, layout, 2, c, x, y), "ema");
                    int truth = x == 4 && y == 2 ? ClassPalette.UNLISTED : PALETTE.rgb((x + y) % 3);
                    assertEquals(truth, pixel(image, layout, 3, c, x, y), "ground truth at " + x + "," + y);
                }
            }
        }
        // the whole tile of a pixel has its colour: the last pixel of (0, 0)'s block in the source row
        int s = layout.scale();
        assertEquals(PALETTE.rgb(1), image.getRGB(layout.tileLeft(0) + s - 1, layout.tileTop(1) + s - 1) & 0xFFFFFF);
        assertEquals(PALETTE.rgb(2), image.getRGB(layout.tileLeft(0) + s, layout.tileTop(1)) & 0xFFFFFF);
    }

    @Test
    void withoutTheAdaptedPolicysMasksItsRowIsLeftOut() {
        BufferedImage image = FrameStrip.render(stream(), "balanced", PALETTE, CLASSES);
        FrameStrip.Layout layout = FrameStrip.layout(W, H, 2, 3, List.of("background", "red", "green", "ignore"));
        assertEquals(layout.height(), image.getHeight());
        assertEquals(PALETTE.rgb(0), pixel(image, layout, 2, 1, 0, 0), "row 2 is the ground truth");
    }

    @Test
    void aStreamWithoutSamplesHasNoStrip() {
        StreamTrace s = stream();
        StreamTrace empty = new StreamTrace("s", 20, s.segments(), s.traces(), List.of());
        assertThrows(IllegalArgumentException.class, () -> FrameStrip.render(empty, "ema", PALETTE, CLASSES));
    }

    /** The colour at the centre of pixel (x, y)'s block in tile (row, column). */
    private static int pixel(BufferedImage image, FrameStrip.Layout layout, int row, int column, int x, int y) {
        int s = layout.scale();
        return image.getRGB(layout.tileLeft(column) + x * s + s / 2, layout.tileTop(row) + y * s + s / 2) & 0xFFFFFF;
    }
}
