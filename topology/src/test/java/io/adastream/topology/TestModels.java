package io.adastream.topology;

import ai.onnx.proto.OnnxMl.ModelProto;
import io.adastream.adapt.inference.AdaptationMode;
import io.adastream.adapt.inference.AdaptiveRunner;
import io.adastream.adapt.session.SessionConfig;
import io.adastream.adapt.stats.DomainAdapter;
import io.adastream.adapt.testing.TinySegmenter;
import io.adastream.models.spec.ModelSpec;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;

/** The tiny 3-class test segmenter on 16x16 frames ({@link TinySegmenter#SERVICE}), its spec, and frames as PNG bytes. */
final class TestModels {

    static final int SIZE = TinySegmenter.SERVICE.size();

    private TestModels() {
    }

    static ModelProto segmenter() {
        return TinySegmenter.SERVICE.proto();
    }

    static ModelSpec spec(ModelProto model) throws Exception {
        return ModelSpec.parse(new ByteArrayInputStream(TinySegmenter.SERVICE.specJson(model).getBytes(StandardCharsets.UTF_8)),
                "tiny.json");
    }

    static ModelRuntime runtime(String policy, Map<String, String> params) throws Exception {
        ModelProto model = segmenter();
        return new ModelRuntime(spec(model), model.toByteArray(), SessionConfig.cpu().withIntraOpThreads(1), policy,
                params, AdaptationMode.FUSED);
    }

    /**
     * A runner of the runtime's session with an adapter of its own: the service's pipeline run by hand, as the
     * reference the served predictions are checked against.
     */
    static AdaptiveRunner runner(ModelRuntime runtime) {
        return new AdaptiveRunner(runtime.session(), new DomainAdapter(runtime.source()), runtime.mode());
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
