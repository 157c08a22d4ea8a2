package io.adastream.it;

import ai.onnx.proto.OnnxMl.ModelProto;
import io.adastream.adapt.onnx.AdaptiveGraphRewriter;
import io.adastream.adapt.onnx.OnnxModel;
import io.adastream.adapt.stats.SourceStatistics;
import io.adastream.adapt.testing.NetworkBuilder;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The model the suite serves: a tiny 3-class segmenter on 16x16 frames with two Conv+BN+ReLU blocks (the same
 * network as topology's TestModels), written with its spec JSON to a folder so that {@code model.spec} can name
 * the file, as a deployment would.
 */
final class TinyModel {

    static final int SIZE = 16;

    private TinyModel() {
    }

    static ModelProto segmenter(int hidden, long seed) {
        NetworkBuilder b = new NetworkBuilder(13, seed);
        String x = b.input("image", -1, 3, SIZE, SIZE);
        x = b.relu(b.batchNorm(b.conv(x, 3, hidden, 3, 1, 2), hidden));
        x = b.relu(b.batchNorm(b.conv(x, hidden, hidden, 3, 1, 2), hidden));
        String logits = b.conv(x, hidden, 3, 1, 1, 2);
        b.output(logits);
        return b.build();
    }

    /** The served model. */
    static ModelProto served() {
        return segmenter(8, 77);
    }

    /** Writes tiny.onnx and tiny.json to the folder; returns the spec file. */
    static Path write(Path dir) throws Exception {
        ModelProto model = served();
        Files.createDirectories(dir);
        Files.write(dir.resolve("tiny.onnx"), model.toByteArray());
        String json = """
                {"name": "tiny-segmenter", "task": "segmentation", "model": "tiny.onnx",
                 "input": {"name": "image", "width": 16, "height": 16, "resize": "stretch",
                           "mean": [0.5, 0.5, 0.5], "std": [0.25, 0.25, 0.25]},
                 "classes": ["background", "a", "b"],
                 "output": {"name": "%s", "format": "[N, 3, 16, 16] logits"}}
                """.formatted(model.getGraph().getOutput(0).getName());
        Path spec = dir.resolve("tiny.json");
        Files.writeString(spec, json, StandardCharsets.UTF_8);
        return spec;
    }

    /** The source statistics (and fingerprint) of a model, as the service computes them. */
    static SourceStatistics source(ModelProto model) throws Exception {
        return SourceStatistics.of(AdaptiveGraphRewriter.rewrite(OnnxModel.parse(model.toByteArray())));
    }
}
