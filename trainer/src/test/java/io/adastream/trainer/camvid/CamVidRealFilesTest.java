package io.adastream.trainer.camvid;

import io.adastream.trainer.data.InputNormalization;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The loader on a few real CamVid files from {@code ../shared/data/camvid} (skipped where absent): split sizes of the
 * data set's README, no dusk frame among the day training frames, the palette, and that the 3x reduction keeps the
 * pixels and the class shares of the full-resolution files.
 */
class CamVidRealFilesTest {
    static CamVidFolder folder;

    @BeforeAll
    static void findData() {
        // the module dir's parent is the project root; the data lies next to the project
        Path data = Path.of("").toAbsolutePath().getParent().getParent().resolve("shared/data/camvid");
        folder = new CamVidFolder(data);
        assumeTrue(folder.exists(), "CamVid data absent at " + data + ": skipped");
    }

    @Test
    void splitsHaveTheSizesOfTheDataSetReadme() {
        List<CamVidFrameFile> day = folder.frames(List.of("train", "val"), Set.copyOf(CamVidSequences.DAY_TRAINING));
        assertEquals(101 + 204 + 101, day.size());
        assertTrue(day.stream().noneMatch(f -> f.sequence().equals(CamVidSequences.DUSK)));
        assertEquals(171, folder.frames(List.of("test"), Set.of(CamVidSequences.DAY_HELD_OUT)).size());
        List<CamVidFrameFile> dusk = folder.frames(List.of("train", "test"), Set.of(CamVidSequences.DUSK));
        assertEquals(124, dusk.size());
        for (int i = 1; i < dusk.size(); i++) {
            assertTrue(dusk.get(i - 1).name().compareTo(dusk.get(i).name()) < 0);
        }
    }

    @Test
    void paletteMatchesPalettePng() throws Exception {
        Path png = folder.root().resolve("palette.png");
        assumeTrue(Files.exists(png), "no palette.png: skipped");
        BufferedImage palette = ImageIO.read(png.toFile());
        for (int id = 0; id <= CamVidClasses.IGNORE_ID; id++) {
            int p = palette.getRGB(id, 0);
            assertArrayEquals(new int[]{(p >> 16) & 0xFF, (p >> 8) & 0xFF, p & 0xFF}, CamVidClasses.PALETTE.get(id),
                    "colour of id " + id);
        }
    }

    @Test
    void reductionKeepsPixelsAndClassShares() throws Exception {
        List<CamVidFrameFile> files = folder.frames(List.of("train"), Set.of("0006R0")).subList(0, 3);
        CamVidLoader loader = new CamVidLoader(160, 120, InputNormalization.MEAN, InputNormalization.STD);
        for (CamVidFrameFile file : files) {
            CamVidFrame frame = loader.load(file);
            BufferedImage image = ImageIO.read(file.image().toFile());
            BufferedImage label = ImageIO.read(file.label().toFile());
            assertEquals(480, image.getWidth());
            assertEquals(360, image.getHeight());
            assertEquals(160 * 120, frame.labels().length);
            // a pixel of the input is the normalized mean of its 3x3 block
            for (int[] at : new int[][]{{0, 0}, {80, 60}, {159, 119}, {17, 93}}) {
                for (int c = 0; c < 3; c++) {
                    double sum = 0;
                    for (int dy = 0; dy < 3; dy++) {
                        for (int dx = 0; dx < 3; dx++) {
                            sum += (image.getRGB(3 * at[0] + dx, 3 * at[1] + dy) >> (16 - 8 * c)) & 0xFF;
                        }
                    }
                    double expected = (Math.round(sum / 9) / 255.0 - InputNormalization.MEAN[c])
                            / InputNormalization.STD[c];
                    assertEquals(expected, frame.input()[c * 160 * 120 + at[1] * 160 + at[0]], 1e-5);
                }
            }
            // class shares survive the majority vote within 1.5 points
            double[] full = shares(CamVidLoader.labelValues(label, file));
            double[] reduced = shares(frame.labels());
            for (int k = 0; k <= CamVidClasses.IGNORE_ID; k++) {
                assertEquals(full[k], reduced[k], 0.015, file.name() + " share of label " + k);
            }
        }
    }

    private static double[] shares(byte[] labels) {
        double[] s = new double[CamVidClasses.IGNORE_ID + 1];
        for (byte b : labels) {
            s[b]++;
        }
        for (int k = 0; k < s.length; k++) {
            s[k] /= labels.length;
        }
        return s;
    }
}
