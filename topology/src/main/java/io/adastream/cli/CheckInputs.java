package io.adastream.cli;

import io.adastream.adapt.onnx.OnnxModel;
import io.adastream.models.spec.ModelSpec;
import io.adastream.models.synth.SceneGenerator;
import io.adastream.models.task.ImagePreprocessor;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The inputs {@code check} compares the graphs on: frames of a folder through the spec's pre-processing; without
 * images, synthetic scenes through it (the model's real input scale); without a spec, N(0,1) noise.
 */
record CheckInputs(List<float[]> samples, long[] sampleShape, String description) {

    /** Synthetic scenes used when a spec but no images are given. */
    static final int SCENES = 2;

    static CheckInputs build(Path spec, Path images, int frames, OnnxModel model, long[] declaredBatchShape)
            throws UsageException {
        if (spec == null) {
            long[] sample = Arrays.copyOfRange(declaredBatchShape, 1, declaredBatchShape.length);
            Random r = new Random(1);
            float[] data = new float[Math.toIntExact(CheckCommand.product(sample))];
            for (int i = 0; i < data.length; i++) {
                data[i] = (float) r.nextGaussian();
            }
            return new CheckInputs(List.of(data), sample,
                    "N(0,1) noise (give --spec, and --images, to check at the model's real input scale)");
        }
        SpecFrames.Loaded loaded = SpecFrames.open(spec, images, frames, model);
        ModelSpec.Input in = loaded.spec().input();
        long[] sample = {3, in.height(), in.width()};
        if (images != null) {
            if (loaded.frames().count() == 0) {
                throw new UsageException(images + ": no images (JPEG, PNG, BMP or GIF) in the folder");
            }
            return new CheckInputs(SpecFrames.tensors(loaded.frames(), frames), sample,
                    Math.min(frames, loaded.frames().count()) + " frame(s) of " + images + " through the spec's pre-processing");
        }
        ImagePreprocessor pre = ImagePreprocessor.forInput(in);
        SceneGenerator scenes = new SceneGenerator(1, in.width(), in.height());
        List<float[]> samples = new ArrayList<>();
        for (int i = 0; i < SCENES; i++) {
            float[] data = new float[pre.slotSize()];
            pre.preprocess(scenes.next().toImage(), FloatBuffer.wrap(data), 0);
            samples.add(data);
        }
        return new CheckInputs(samples, sample, SCENES + " synthetic scenes through the spec's pre-processing (no --images)");
    }
}
