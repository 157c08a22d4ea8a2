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
