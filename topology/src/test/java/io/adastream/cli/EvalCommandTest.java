package io.adastream.cli;

import ai.onnx.proto.OnnxMl.ModelProto;
import io.adastream.adapt.testing.NetworkBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code adastream eval} on a tiny model given by a spec file. */
class EvalCommandTest {

    @TempDir
    Path dir;

    private Path tinySpec() throws Exception {
        NetworkBuilder b = new NetworkBuilder(13, 5);
        String x = b.input("image", -1, 3, 24, 24);
        x = b.relu(b.batchNorm(b.conv(x, 3, 6, 3, 1, 2), 6));
        String logits = b.conv(x, 6, 6, 1, 1, 2);
        b.output(logits);
        ModelProto model = b.build();
        Files.write(dir.resolve("tiny.onnx"), model.toByteArray());
        Path spec = dir.resolve("tiny.json");
        Files.writeString(spec, """
                {"name": "tiny", "task": "segmentation", "model": "tiny.onnx",
                 "input": {"name": "image", "width": 24, "height": 24, "resize": "stretch",
                           "mean": [0.5, 0.5, 0.5], "std": [0.25, 0.25, 0.25]},
                 "classes": ["background", "disc", "square", "triangle", "ring", "bar"],
                 "output": {"name": "%s", "format": "logits"}}
                """.formatted(logits));
        return spec;
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
