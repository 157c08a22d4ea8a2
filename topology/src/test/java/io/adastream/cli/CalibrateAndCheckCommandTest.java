package io.adastream.cli;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import io.adastream.adapt.calibrate.Calibrator;
import io.adastream.adapt.onnx.AdaptiveGraphRewriter;
import io.adastream.adapt.onnx.AdaptiveModel;
import io.adastream.adapt.onnx.BatchNormLayer;
import io.adastream.adapt.onnx.OnnxModel;
import io.adastream.adapt.testing.NetworkBuilder;
import io.adastream.adapt.testing.ReferenceNetworks;
import io.adastream.models.synth.SceneGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code calibrate} from a folded model and a folder of images to a model that {@code check} accepts. */
class CalibrateAndCheckCommandTest {

    @TempDir
    Path dir;

    private final CliRunner cli = new CliRunner();

    /** conv + ReLU, conv straight into conv, and a head: two layers to put back. */
    private static ModelProto folded() {
        NetworkBuilder b = new NetworkBuilder(13, 3);
        String x = b.relu(b.conv(b.input("image", -1, 3, 32, 32), 3, 8, 3, 1, 2));
        String y = b.conv(x, 8, 8, 3, 1, 2);
        b.output(b.conv(b.relu(b.conv(y, 8, 8, 1, 1, 2)), 8, 2, 1, 1, 2));
        return b.build();
    }

    private Path setUp(int images) throws Exception {
        Files.write(dir.resolve("model.onnx"), folded().toByteArray());
        String output = folded().getGraph().getOutput(0).getName();
        Files.writeString(dir.resolve("spec.json"), "{\"name\":\"t\",\"task\":\"segmentation\",\"model\":\"model.onnx\","
                + "\"input\":{\"name\":\"image\",\"width\":32,\"height\":32,\"normalize\":\"unit\"},"
                + "\"classes\":[\"background\",\"a\"],\"output\":{\"name\":\"" + output + "\"}}", StandardCharsets.UTF_8);
        Path folder = Files.createDirectories(dir.resolve("images"));
        SceneGenerator scenes = new SceneGenerator(4, 48, 40);
        for (int i = 0; i < images; i++) {
            ImageIO.write(scenes.next().toImage(), "png", folder.resolve(String.format("f%03d.png", i)).toFile());
        }
        return folder;
    }

    @Test
    void calibrateWritesAnAdaptableModelThatCheckAcceptsOnRealFrames() throws Exception {
        Path images = setUp(40);
        Path out = dir.resolve("calibrated.onnx");
        int code = cli.run("calibrate", dir.resolve("model.onnx").toString(), "--spec", dir.resolve("spec.json").toString(),
                "--images", images.toString(), "--out", out.toString(), "--threads", "1");
        assertEquals(0, code, cli.err() + cli.out());
        String text = cli.out();
        assertTrue(text.contains("inserted:   3 BatchNormalization layers"), text);
        assertTrue(text.contains("frames:     40 from"), text);
        assertTrue(text.contains("1 heads"), text);
        assertTrue(cli.err().contains("calibrating: 40/40 frames"), cli.err());
        OnnxModel written = OnnxModel.load(out);
        assertEquals("40", metadata(written.proto(), Calibrator.METADATA_FRAMES));
        assertEquals(3, AdaptiveGraphRewriter.rewrite(written).layerCount());

        assertEquals(0, cli.run("inspect", out.toString()), cli.out());
        assertTrue(cli.out().contains("adaptable: yes"));

        assertEquals(0, cli.run("check", out.toString(), "--spec", dir.resolve("spec.json").toString(),
                "--images", images.toString(), "--runs", "2", "--threads", "1"), cli.out() + cli.err());
        assertTrue(cli.out().contains("8 frame(s) of " + images), cli.out());
        assertTrue(cli.out().contains("check: ok"), cli.out());

        assertEquals(0, cli.run("check", out.toString(), "--spec", dir.resolve("spec.json").toString(),
                "--runs", "2", "--threads", "1"), cli.out() + cli.err());
        assertTrue(cli.out().contains("synthetic scenes through the spec's pre-processing"), cli.out());

        // calibrating the calibrated model again finds nothing to insert
        assertEquals(2, cli.run("calibrate", out.toString(), "--spec", dir.resolve("spec.json").toString(),
                "--images", images.toString(), "--out", dir.resolve("again.onnx").toString()));
        assertTrue(cli.err().contains("nothing to insert"), cli.err());
    }

    @Test
    void refusalsAreOneLineWithExitCodeTwo() throws Exception {
        Path images = setUp(10);
        List<String> base = List.of("calibrate", dir.resolve("model.onnx").toString(), "--spec",
                dir.resolve("spec.json").toString(), "--images", images.toString(), "--out", dir.resolve("o.onnx").toString());
        assertEquals(2, cli.run(base.toArray(String[]::new)));
        assertTrue(cli.err().contains("at least 32 frames, got 10"), cli.err());
        assertEquals(1, cli.err().lines().filter(l -> !l.isBlank() && !l.startsWith("\r") && !l.contains("calibrating")).count(), cli.err());

        SceneGenerator scenes = new SceneGenerator(5, 40, 40);
        for (int i = 10; i < 40; i++) {
            ImageIO.write(scenes.next().toImage(), "png", images.resolve(String.format("f%03d.png", i)).toFile());
        }
        Files.write(images.resolve("f005.png"), new byte[]{(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        assertEquals(2, cli.run(base.toArray(String[]::new)));
        assertTrue(cli.err().contains("frame f005.png"), cli.err());

        assertEquals(2, cli.run("check", dir.resolve("model.onnx").toString(), "--images", images.toString()));
        assertTrue(cli.err().contains("--images needs --spec"), cli.err());
    }

    /** Changing one layer's source statistics in the adaptive model makes that layer, and no earlier one, diverge. */
    @Test
    void theFirstDivergingLayerIsNamed() throws Exception {
        ModelProto model = ReferenceNetworks.resnet(13, 16, new int[]{1, 1}, 8, 5);
        AdaptiveModel adaptive = AdaptiveGraphRewriter.rewrite(OnnxModel.of(model));
        List<BatchNormLayer> layers = new ArrayList<>(adaptive.layers());
        BatchNormLayer third = layers.get(2);
        float[] mean = third.sourceMean().clone();
        mean[1] += 0.5f;
        layers.set(2, new BatchNormLayer(third.index(), third.nodeName(), third.input(), third.output(), third.channels(),
                third.epsilon(), mean, third.sourceVar(), third.opset()));
        AdaptiveModel altered = new AdaptiveModel(adaptive.adaptiveBytes(), List.copyOf(layers), adaptive.modelInputs(),
                adaptive.modelOutputs(), adaptive.opset(), adaptive.sourceFingerprint());
        float[] sample = new float[3 * 16 * 16];
        Random r = new Random(2);
        for (int i = 0; i < sample.length; i++) {
            sample[i] = (float) r.nextGaussian();
        }
        LayerDivergence.Result result = LayerDivergence.first(model, altered, sample, new long[]{1, 3, 16, 16}, 1e-4, 1);
        assertNotNull(result.layer());
        assertEquals(2, result.layer().index());
        assertTrue(result.diff() > 1e-2, "diff " + result.diff());
        assertTrue(result.upstream() <= 1e-5, "upstream " + result.upstream());
        LayerDivergence.Result none = LayerDivergence.first(model, adaptive, sample, new long[]{1, 3, 16, 16}, 1e-4, 1);
        assertEquals(null, none.layer());
    }

    private static String metadata(ModelProto model, String key) {
        return model.getMetadataPropsList().stream().filter(p -> p.getKey().equals(key))
                .map(StringStringEntryProto::getValue).findFirst().orElse(null);
    }
}
