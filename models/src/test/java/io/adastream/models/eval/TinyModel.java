package io.adastream.models.eval;

import ai.onnx.proto.OnnxMl.ModelProto;
import io.adastream.adapt.testing.NetworkBuilder;
import io.adastream.models.spec.ModelSpec;
import io.adastream.models.synth.SceneClasses;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

/** A tiny random-weight segmenter over 32x32 scenes (two Conv+BN+ReLU blocks, 1x1 head to the 6 scene classes). */
final class TinyModel {

    static final int SIZE = 32;

    private TinyModel() {
    }

    static ModelProto proto() {
        NetworkBuilder b = new NetworkBuilder(13, 4242);
        String x = b.input("image", -1, 3, SIZE, SIZE);
        x = b.relu(b.batchNorm(b.conv(x, 3, 8, 3, 1, 2), 8));
        x = b.relu(b.batchNorm(b.conv(x, 8, 8, 3, 1, 2), 8));
        String logits = b.conv(x, 8, SceneClasses.NAMES.size(), 1, 1, 2);
        b.output(logits);
        return b.build();
    }

    static ModelSpec spec(ModelProto model) throws Exception {
        String json = """
                {"name": "tiny-segmenter", "task": "segmentation", "model": "tiny.onnx",
                 "input": {"name": "image", "width": %d, "height": %d, "resize": "stretch",
                           "mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225]},
                 "classes": ["background", "disc", "square", "triangle", "ring", "bar"],
                 "output": {"name": "%s", "format": "[N, 6, 32, 32] logits"}}
                """.formatted(SIZE, SIZE, model.getGraph().getOutput(0).getName());
        return ModelSpec.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "tiny.json");
    }

    static EvalModel open() throws Exception {
        ModelProto proto = proto();
        return EvalModel.open(spec(proto), proto.toByteArray(), 1);
    }
}
