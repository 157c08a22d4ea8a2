package io.adastream.topology;

import ai.onnx.proto.OnnxMl.ModelProto;
import io.adastream.adapt.inference.AdaptationMode;
import io.adastream.adapt.session.SessionConfig;
import io.adastream.adapt.testing.NetworkBuilder;
import io.adastream.models.spec.ModelSpec;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;

/** A tiny 3-class segmentation network on 16x16 frames, its spec, and frames as PNG bytes. */
final class TestModels {

    static final int SIZE = 16;

    private TestModels() {
    }

    static ModelProto segmenter() {
        NetworkBuilder b = new NetworkBuilder(13, 77);
        String x = b.input("image", -1, 3, SIZE, SIZE);
        x = b.relu(b.batchNorm(b.conv(x, 3, 8, 3, 1, 2), 8));
        x = b.relu(b.batchNorm(b.conv(x, 8, 8, 3, 1, 2), 8));
        String logits = b.conv(x, 8, 3, 1, 1, 2);
        b.output(logits);
        return b.build();
    }

    static ModelSpec spec(ModelProto model) throws Exception {
        String json = """
                {"name": "tiny-segmenter", "task": "segmentation", "model": "tiny.onnx",
                 "input": {"name": "image", "width": 16, "height": 16, "resize": "stretch",
                           "mean": [0.5, 0.5, 0.5], "std": [0.25, 0.25, 0.25]},
                 "classes": ["background", "a", "b"],
                 "output": {"name": "%s", "format": "[N, 3, 16, 16] logits"}}
                """.formatted(model.getGraph().getOutput(0).getName());
        return ModelSpec.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "tiny.json");
    }

    static ModelRuntime runtime(String policy, Map<String, String> params) throws Exception {
        ModelProto model = segmenter();
        return new ModelRuntime(spec(model), model.toByteArray(), SessionConfig.cpu().withIntraOpThreads(1), policy,
                params, AdaptationMode.FUSED);
    }

    /** A random image of the given size, brightness-shifted by {@code offset} (0..255), as PNG. */
    static byte[] png(long seed, int width, int height, int offset) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Random r = new Random(seed);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int v = Math.min(255, offset + r.nextInt(256 - Math.min(offset, 200)));
                image.setRGB(x, y, (v << 16) | (Math.min(255, v + 20) << 8) | Math.max(0, v - 20));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }
}
