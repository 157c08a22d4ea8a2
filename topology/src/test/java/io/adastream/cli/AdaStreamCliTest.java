package io.adastream.cli;

import io.adastream.adapt.onnx.AdaptiveNames;
import io.adastream.adapt.onnx.OnnxModel;
import io.adastream.adapt.testing.NetworkBuilder;
import io.adastream.adapt.testing.ReferenceNetworks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line's outputs and exit codes. */
class AdaStreamCliTest {

    @TempDir
    Path dir;

    private final CliRunner cli = new CliRunner();

    private int run(String... args) {
        return cli.run(args);
    }

    private Path write(String name, byte[] bytes) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    @Test
    void inspectListsTheLayersOfAnAdaptableModel() throws Exception {
        Path model = write("resnet.onnx", ReferenceNetworks.resnet(13, 32, new int[]{1, 1}, 8, 1).toByteArray());
        assertEquals(0, run("inspect", model.toString()));
        String text = cli.out();
        assertTrue(text.contains("6 adaptable layers"), text);
        assertTrue(text.contains("adaptable: yes"), text);
        assertEquals(6, text.lines().filter(l -> l.matches("\\s+\\d+\\s+batchnormalization_.*")).count(), text);
    }

    @Test
    void rewriteWritesAModelThatInspectRecognisesAsRewritten() throws Exception {
        Path model = write("mlp.onnx", ReferenceNetworks.mlp(18, 1).toByteArray());
        Path outFile = dir.resolve("adaptive.onnx");
        assertEquals(0, run("rewrite", model.toString(), outFile.toString()));
        OnnxModel written = OnnxModel.load(outFile);
        assertTrue(written.proto().getGraph().getInputList().stream().anyMatch(i -> i.getName().equals(AdaptiveNames.BLEND)));
        assertEquals(2, run("rewrite", outFile.toString(), dir.resolve("twice.onnx").toString()));
        assertTrue(cli.err().contains("already rewritten"));
        assertEquals(1, cli.err().lines().count());
    }

    @Test
    void badInputGivesExitCodeTwoAndOneLine() throws Exception {
        NetworkBuilder b = new NetworkBuilder(13, 1);
        b.output(b.relu(b.conv(b.input("x", -1, 3, 8, 8), 3, 4, 3, 1, 2)));
        Path noBn = write("nobn.onnx", b.build().toByteArray());
        Path garbage = write("garbage.onnx", "not a model".getBytes(StandardCharsets.UTF_8));
        Path truncated = write("truncated.onnx", java.util.Arrays.copyOf(ReferenceNetworks.mlp(13, 1).toByteArray(), 100));
        for (String[] args : new String[][]{
                {"rewrite", noBn.toString(), dir.resolve("o.onnx").toString()},
                {"rewrite", garbage.toString(), dir.resolve("o.onnx").toString()},
                {"rewrite", truncated.toString(), dir.resolve("o.onnx").toString()},
                {"inspect", dir.resolve("missing.onnx").toString()},
                {"inspect"},
                {"frobnicate"}}) {
            assertEquals(2, run(args), String.join(" ", args));
            assertEquals(1, cli.err().lines().count(), cli.err());
        }
        run("rewrite", noBn.toString(), dir.resolve("o.onnx").toString());
        assertTrue(cli.err().contains("no BatchNormalization"));
        assertEquals(2, run("inspect", noBn.toString()));
        assertTrue(cli.out().contains("adaptable: no"));
    }

    @Test
    void exportBakesASnapshotIntoAStandardModel() throws Exception {
        var proto = ReferenceNetworks.resnet(13, 32, new int[]{1, 1}, 8, 4);
        Path model = write("resnet.onnx", proto.toByteArray());
        var adaptive = io.adastream.adapt.onnx.AdaptiveGraphRewriter.rewrite(OnnxModel.of(proto));
        var source = io.adastream.adapt.stats.SourceStatistics.of(adaptive);
        var adapter = new io.adastream.adapt.stats.DomainAdapter(source);
        // plain AdaBN (guard off): the exported statistics are then exactly the one frame's moments
        var state = adapter.newDomain(io.adastream.adapt.stats.policy.Policies.create("adabn",
                java.util.Map.of("guard", "0")));
        var frame = new io.adastream.adapt.stats.FrameMoments(source);
        for (int l = 0; l < source.layers(); l++) {
            for (int c = 0; c < source.channels(l); c++) {
                frame.mean(l)[c] = 0.25f * c;
                frame.var(l)[c] = 1.5f + c;
            }
        }
        adapter.onFrame(state, frame);
        Path snapshot = write("camera-1.snapshot", io.adastream.adapt.stats.SnapshotCodec.write(state));
        Path outFile = dir.resolve("camera-1.onnx");
        assertEquals(0, run("export", "--snapshot", snapshot.toString(), "--model", model.toString(), "--out", outFile.toString()));
        var layers = io.adastream.adapt.onnx.BatchNormInspector.inspect(OnnxModel.load(outFile)).layers();
        for (var l : layers) {
            for (int c = 0; c < l.channels(); c++) {
                assertEquals(0.25f * c, l.sourceMean()[c], 1e-6);
                assertEquals(1.5f + c, l.sourceVar()[c], 1e-5);
            }
        }
        // a snapshot of another model is refused
        Path other = write("other.onnx", ReferenceNetworks.resnet(13, 32, new int[]{1, 1}, 8, 5).toByteArray());
        assertEquals(2, run("export", "--snapshot", snapshot.toString(), "--model", other.toString(), "--out", outFile.toString()));
        assertTrue(cli.err().toLowerCase().contains("fingerprint"), cli.err());
        Path truncated = write("t.snapshot", java.util.Arrays.copyOf(Files.readAllBytes(snapshot), 40));
        assertEquals(2, run("export", "--snapshot", truncated.toString(), "--model", model.toString(), "--out", outFile.toString()));
    }

    @Test
    void checkConfirmsTheRewriteReproducesTheModel() throws Exception {
        Path model = write("resnet.onnx", ReferenceNetworks.resnet(15, 32, new int[]{1, 1}, 8, 2).toByteArray());
        assertEquals(0, run("check", model.toString(), "--runs", "3", "--threads", "1"));
        String text = cli.out();
        assertTrue(text.contains("check: ok"), text);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("max scaled diff ([0-9.eE+-]+)").matcher(text);
        assertTrue(m.find(), text);
        assertTrue(Double.parseDouble(m.group(1)) <= 1e-5, text);
    }

    @Test
    void checkComparesIntegerOutputsToo() throws Exception {
        io.adastream.adapt.testing.NetworkBuilder b = new io.adastream.adapt.testing.NetworkBuilder(13, 6);
        String x = b.input("image", -1, 3, 8, 8);
        x = b.relu(b.batchNorm(b.conv(x, 3, 6, 3, 1, 2), 6));
        String logits = b.conv(x, 6, 4, 1, 1, 2);
        String ids = b.argMax(logits, 1, false);
        String ids32 = b.cast(ids, ai.onnx.proto.OnnxMl.TensorProto.DataType.INT32_VALUE);
        b.output(ids, ai.onnx.proto.OnnxMl.TensorProto.DataType.INT64_VALUE, -1, 8, 8);
        b.output(ids32, ai.onnx.proto.OnnxMl.TensorProto.DataType.INT32_VALUE, -1, 8, 8);
        Path model = write("argmax.onnx", b.build().toByteArray());
        assertEquals(0, run("check", model.toString(), "--runs", "3", "--threads", "1"), cli.err());
        String text = cli.out();
        assertTrue(text.contains("check: ok"), text);
        assertTrue(text.contains("outputs [" + ids + ", " + ids32 + "]"), text);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("max scaled diff ([0-9.eE+-]+)").matcher(text);
        assertTrue(m.find(), text);
        assertEquals(0.0, Double.parseDouble(m.group(1)), text);   // class ids of the same logits: equal
    }
}
