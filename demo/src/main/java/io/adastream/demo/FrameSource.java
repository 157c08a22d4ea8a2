package io.adastream.demo;

import io.adastream.models.synth.Scene;
import io.adastream.models.synth.SceneGenerator;

import javax.imageio.ImageIO;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Renders one camera's frames: a synthetic scene, the camera's shift applied, encoded as PNG, with its ground truth. */
public final class FrameSource {

    /** A frame as sent to Kafka and the class mask it should be segmented into. */
    public record Frame(String frameId, byte[] png, byte[] groundTruth, int width, int height) {
    }

    private final Camera camera;
    private final SceneGenerator scenes;
    private final int width;
    private final int height;
    private long count;

    public FrameSource(Camera camera, int width, int height) {
        this.camera = camera;
        this.scenes = new SceneGenerator(camera.seed(), width, height);
        this.width = width;
        this.height = height;
    }

    public Frame next() {
        Scene scene = scenes.next();
        long n = count++;
        Scene shown = scene;
        if (camera.corruption() != null) {
            float[] shifted = camera.corruption().apply(scene.rgb(), width, height, camera.severity(), camera.seed() * 1_000_003L + n);
            shown = new Scene(width, height, shifted, scene.classMask(), scene.objects());
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream(width * height * 3);
        try {
            ImageIO.write(shown.toImage(), "png", png);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Frame(camera.domain() + "-" + n, png.toByteArray(), scene.classMask(), width, height);
    }
}
