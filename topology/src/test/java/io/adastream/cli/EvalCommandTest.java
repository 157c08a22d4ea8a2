package io.adastream.cli;

import io.adastream.adapt.testing.TinySegmenter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code adastream eval} on a tiny model given by a spec file. */
class EvalCommandTest {

    @TempDir
    Path dir;

    private Path tinySpec() throws Exception {
        return new TinySegmenter(24, List.of("background", "disc", "square", "triangle", "ring", "bar"), 6, 5,
                new double[]{0.5, 0.5, 0.5}, new double[]{0.25, 0.25, 0.25}).writeTo(dir);
    }

    @Test
    void printsTablesWritesTheFileAndShowsProgress() throws Exception {
        Path spec = tinySpec();
        Path report = dir.resolve("eval.md");
        CliRunner cli = new CliRunner();
        int code = cli.run("eval", "--model", spec.toString(), "--frames", "3", "--batch", "1", "--stream", "single,cyclic",
                "--policies", "source,ema,balanced", "--out", report.toString());
        assertEquals(0, code, cli.err());
        String md = cli.out();
        assertTrue(md.startsWith("# AdaStream evaluation: tiny"), md);
        assertTrue(md.contains("adastream eval --model " + spec + " --frames 3 --batch 1"), md);
        assertTrue(md.contains("| domain | source | ema | balanced |"), md);
        assertTrue(md.contains("## Cyclic clean ↔ fog-5, batch 1"), md);
        assertTrue(md.contains("## Targets"), md);
        assertEquals(md, Files.readString(report));
        String lines = cli.err();
        assertTrue(lines.contains("] single    clean"), lines);
        assertTrue(lines.contains("done in"), lines);
    }

    /** A camvid-layout folder: domains A (3 frames) and B (2 frames), 24x24 images, masks with ignore id 255. */
    private Path labelledFolder() throws Exception {
        Path data = dir.resolve("data");
        for (String name : List.of("A_1", "A_2", "A_3", "B_1", "B_2")) {
            java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(24, 24, java.awt.image.BufferedImage.TYPE_INT_RGB);
            java.awt.image.BufferedImage mask = new java.awt.image.BufferedImage(24, 24, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
            for (int y = 0; y < 24; y++) {
                for (int x = 0; x < 24; x++) {
                    img.setRGB(x, y, (x * 10) << 16 | (y * 10) << 8 | name.hashCode() & 0xFF);
                    mask.getRaster().setSample(x, y, 0, y < 2 ? 255 : (x + y) % 6);
                }
            }
            Files.createDirectories(data.resolve("test"));
            Files.createDirectories(data.resolve("testannot"));
            javax.imageio.ImageIO.write(img, "png", data.resolve("test").resolve(name + ".png").toFile());
            javax.imageio.ImageIO.write(mask, "png", data.resolve("testannot").resolve(name + ".png").toFile());
        }
        return data;
    }

    @Test
    void evaluatesTheDomainsOfALabelledFolder() throws Exception {
        Path spec = tinySpec();
        Path data = labelledFolder();
        CliRunner cli = new CliRunner();
        int code = cli.run("eval", "--model", spec.toString(), "--data", data.toString(), "--batch", "1",
                "--policies", "source,prior-decay", "--mode-policies", "none", "--source-domains", "A",
                "--continual", "A,B", "--order", "temporal,dominant-class", "--corrupt", "fog:3");
        assertEquals(0, code, cli.err());
        String md = cli.out();
        assertTrue(md.contains("domains A (3 frames, no shift from the training data), B (2 frames)"), md);
        assertTrue(md.contains("| stream | source | prior-decay | oracle |"), md);
        assertTrue(md.contains("| B fog-3 |"), md);
        assertTrue(md.contains("| A, dominant-class order |"), md);
        assertTrue(md.contains("## Continual A → B, batch 1, fused"), md);
        assertTrue(md.contains("- **PASS** A: no policy more than 1 point below source, batch 1")
                || md.contains("- **MISS** A: no policy more than 1 point below source, batch 1"), md);
        assertTrue(cli.err().contains("read A: 3 frames"), cli.err());
        assertTrue(cli.err().contains("] single    B fog-3"), cli.err());
    }

    @Test
    void anUnknownDomainOrLayoutIsBadInput() throws Exception {
        Path spec = tinySpec();
        Path data = labelledFolder();
        CliRunner cli = new CliRunner();
        assertEquals(2, cli.run("eval", "--model", spec.toString(), "--data", data.toString(), "--domains", "A,C"));
        assertEquals(1, cli.err().lines().count(), cli.err());
        assertTrue(cli.err().contains("no domain 'C'") && cli.err().contains("[A, B]"), cli.err());
        assertEquals(2, cli.run("eval", "--model", spec.toString(), "--data", data.toString(), "--layout", "yolo"));
        assertTrue(cli.err().contains("does not fit a segmentation model"), cli.err());
        assertEquals(2, cli.run("eval", "--model", spec.toString(), "--data", data.toString(), "--corrupt", "fog:9"));
        assertEquals(1, cli.err().lines().count(), cli.err());
        assertEquals(2, cli.run("eval", "--model", spec.toString(), "--data", data.toString(), "--plot-window", "0",
                "--out", dir.resolve("r.md").toString()));
        assertTrue(cli.err().contains("--plot-window"), cli.err());
    }

    @Test
    void writesThePicturesNextToTheReportInTheSpecsPalette() throws Exception {
        Path spec = tinySpec();
        // the tiny spec with a palette, as the CamVid spec carries one
        String json = Files.readString(spec);
        Files.writeString(spec, json.substring(0, json.lastIndexOf('}'))
                + ", \"palette\": [[1, 2, 3], [200, 0, 0], [0, 200, 0], [0, 0, 200], [9, 9, 9], [99, 99, 99]]}");
        Path report = dir.resolve("r.md");
        CliRunner cli = new CliRunner();
        int code = cli.run("eval", "--model", spec.toString(), "--frames", "4", "--batch", "1", "--stream", "continual",
                "--policies", "source,prior-decay", "--plot-window", "3", "--out", report.toString());
        assertEquals(0, code, cli.err());
        String md = Files.readString(report);
        assertEquals(md, cli.out());
        assertTrue(md.contains("## Pictures"), md);
        assertTrue(md.contains("mIoU over the last 3 frames"), md);
        assertTrue(md.contains("![continual: mIoU along the stream](r-continual-accuracy.png)"), md);
        assertTrue(md.contains("![continual: frames](r-continual-frames.png)"), md);
        BufferedImage plot = ImageIO.read(dir.resolve("r-continual-accuracy.png").toFile());
        assertEquals(1000, plot.getWidth());
        assertEquals(460, plot.getHeight());
        BufferedImage strip = ImageIO.read(dir.resolve("r-continual-frames.png").toFile());
        // the first legend swatch is the background's palette colour: somewhere in the ground-truth row too
        boolean background = false;
        for (int y = 0; y < strip.getHeight() && !background; y++) {
            for (int x = 0; x < strip.getWidth() && !background; x++) {
                background = (strip.getRGB(x, y) & 0xFFFFFF) == 0x010203;
            }
        }
        assertTrue(background, "the spec's palette colours the masks");
    }

    @Test
    void writesThePicturesOfALabelledFolderNextToTheReport() throws Exception {
        Path spec = tinySpec();
        String json = Files.readString(spec);
        Files.writeString(spec, json.substring(0, json.lastIndexOf('}'))
                + ", \"palette\": [[1, 2, 3], [200, 0, 0], [0, 200, 0], [0, 0, 200], [9, 9, 9], [99, 99, 99]]}");
        Path data = labelledFolder();
        Path report = dir.resolve("r.md");
        CliRunner cli = new CliRunner();
        int code = cli.run("eval", "--model", spec.toString(), "--data", data.toString(), "--batch", "1",
                "--policies", "source,prior-decay", "--mode-policies", "none", "--continual", "A,B,A",
                "--order", "temporal,dominant-class", "--plot-window", "2", "--out", report.toString());
        assertEquals(0, code, cli.err());
        String md = Files.readString(report);
        assertEquals(md, cli.out());
        assertTrue(md.contains("## Pictures"), md);
        assertTrue(md.contains("mIoU over the last 2 frames"), md);
        assertTrue(md.contains("`prior-decay` mask"), md);
        List<String> streams = List.of("single-A", "single-A__dominant-class_order", "single-B",
                "single-B__dominant-class_order", "continual");
        for (String s : streams) {
            assertTrue(md.contains("](r-" + s + "-accuracy.png)"), md);
            assertTrue(md.contains("](r-" + s + "-frames.png)"), md);
            BufferedImage plot = ImageIO.read(dir.resolve("r-" + s + "-accuracy.png").toFile());
            assertEquals(1000, plot.getWidth(), s);
            assertEquals(460, plot.getHeight(), s);
        }
        try (var files = Files.list(dir)) {
            assertEquals(2 * streams.size(), files.filter(f -> f.toString().endsWith(".png")).count());
        }
        // the strip of A: its 3 frames in file order; 24x24 frames are drawn 8 times larger, rows input, source,
        // prior-decay, ground truth. The masks written are 255 (not scored) on rows 0-1, (x + y) mod 6 below.
        BufferedImage strip = ImageIO.read(dir.resolve("r-single-A-frames.png").toFile());
        int scale = 8;
        int tile = 24 * scale;
        int labelWidth = 110;
        int headerHeight = 36;
        int gap = 4;
        int[] palette = {0x010203, 0xC80000, 0x00C800, 0x0000C8, 0x090909, 0x636363};
        for (int column = 0; column < 3; column++) {
            for (int[] p : new int[][]{{5, 7}, {4, 3}, {10, 2}, {23, 23}, {0, 0}, {17, 1}}) {
                int expected = p[1] < 2 ? 0xE0E0C0 : palette[(p[0] + p[1]) % 6];
                int x = labelWidth + column * (tile + gap) + p[0] * scale + scale / 2;
                int y = headerHeight + 3 * (tile + gap) + p[1] * scale + scale / 2;
                assertEquals(expected, strip.getRGB(x, y) & 0xFFFFFF, "ground truth of frame " + column + " at " + p[0] + "," + p[1]);
            }
        }
        assertEquals(labelWidth + 3 * (tile + gap), strip.getWidth());
    }

    @Test
    void aPlotWindowOutOfRangeIsBadInput() throws Exception {
        CliRunner cli = new CliRunner();
        assertEquals(2, cli.run("eval", "--model", tinySpec().toString(), "--plot-window", "0"));
        assertTrue(cli.err().contains("--plot-window"), cli.err());
    }

    @Test
    void aMissingSpecFileIsBadInput() {
        CliRunner cli = new CliRunner();
        assertEquals(2, cli.run("eval", "--model", dir.resolve("none.json").toString()));
        assertEquals(1, cli.err().lines().count(), cli.err());
        assertTrue(cli.err().contains("none.json"), cli.err());
    }
}
