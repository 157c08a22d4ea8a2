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

    @Test
    void aMissingSpecFileIsBadInput() {
        CliRunner cli = new CliRunner();
        assertEquals(2, cli.run("eval", "--model", dir.resolve("none.json").toString()));
        assertEquals(1, cli.err().lines().count(), cli.err());
        assertTrue(cli.err().contains("none.json"), cli.err());
    }
}
