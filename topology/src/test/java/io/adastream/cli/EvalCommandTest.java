package io.adastream.cli;

import io.adastream.adapt.testing.TinySegmenter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    }

    @Test
    void aMissingSpecFileIsBadInput() {
        CliRunner cli = new CliRunner();
        assertEquals(2, cli.run("eval", "--model", dir.resolve("none.json").toString()));
        assertEquals(1, cli.err().lines().count(), cli.err());
        assertTrue(cli.err().contains("none.json"), cli.err());
    }
}
