package io.adastream.models.eval;

import ai.onnx.proto.OnnxMl.ModelProto;
import io.adastream.adapt.testing.TinySegmenter;
import io.adastream.models.spec.ModelSpec;
import io.adastream.models.synth.SceneClasses;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

/** The tiny test segmenter over 32x32 synthetic scenes: the 6 scene classes, ImageNet input normalization. */
final class TinyModel {

    static final int SIZE = 32;

    static final TinySegmenter SCENES = new TinySegmenter(SIZE, SceneClasses.NAMES, 8, 4242,
            new double[]{0.485, 0.456, 0.406}, new double[]{0.229, 0.224, 0.225});

    private TinyModel() {
    }

    static EvalModel open() throws Exception {
        ModelProto proto = SCENES.proto();
        ModelSpec spec = ModelSpec.parse(new ByteArrayInputStream(SCENES.specJson(proto).getBytes(StandardCharsets.UTF_8)),
                "tiny.json");
        return EvalModel.open(spec, proto.toByteArray(), 1);
    }
}
