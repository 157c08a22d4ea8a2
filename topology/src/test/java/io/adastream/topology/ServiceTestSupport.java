package io.adastream.topology;

import ai.onnx.proto.OnnxMl.ModelProto;

import java.nio.file.Files;
import java.nio.file.Path;

/** For the tests that start a real service: the tiny test segmenter as files. */
final class ServiceTestSupport {

    private ServiceTestSupport() {
    }

    /** Writes tiny.onnx and tiny.json into {@code dir}; returns the spec's path. */
    static Path writeTinyModel(Path dir) throws Exception {
        ModelProto model = TestModels.segmenter();
        Files.write(dir.resolve("tiny.onnx"), model.toByteArray());
        Path spec = dir.resolve("tiny.json");
        Files.writeString(spec, """
                {"name": "tiny-segmenter", "task": "segmentation", "model": "tiny.onnx",
                 "input": {"name": "image", "width": 16, "height": 16, "resize": "stretch",
                           "mean": [0.5, 0.5, 0.5], "std": [0.25, 0.25, 0.25]},
                 "classes": ["background", "a", "b"],
                 "output": {"name": "%s", "format": "[N, 3, 16, 16] logits"}}
                """.formatted(model.getGraph().getOutput(0).getName()));
        return spec;
    }
}
