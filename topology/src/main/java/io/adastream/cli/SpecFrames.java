package io.adastream.cli;

import io.adastream.adapt.calibrate.CalibrationException;
import io.adastream.adapt.onnx.OnnxModel;
import io.adastream.models.spec.ModelSpec;
import io.adastream.models.spec.ModelSpecException;
import io.adastream.models.task.ImageFolderFrames;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Opens a spec and a folder of images for commands that run a model on real frames; failures are one line. */
final class SpecFrames {

    /** The spec and the folder's frames through its pre-processing. */
    record Loaded(ModelSpec spec, ImageFolderFrames frames) {
    }

    private SpecFrames() {
    }

    static ModelSpec spec(Path specFile, OnnxModel model) throws UsageException {
        ModelSpec spec;
        try {
            spec = ModelSpec.load(specFile);
        } catch (ModelSpecException e) {
            throw new UsageException(e.getMessage(), e);
        }
        List<String> inputs = new ArrayList<>();
        java.util.Set<String> init = new java.util.HashSet<>();
        model.proto().getGraph().getInitializerList().forEach(t -> init.add(t.getName()));
        model.proto().getGraph().getInputList().forEach(i -> {
            if (!init.contains(i.getName())) {
                inputs.add(i.getName());
            }
        });
        if (!inputs.contains(spec.input().name())) {
            throw new UsageException(specFile + ": the spec's input '" + spec.input().name()
                    + "' is not an input of the model; its inputs: " + inputs);
        }
        return spec;
    }

    static Loaded open(Path specFile, Path images, int limit, OnnxModel model) throws UsageException {
        ModelSpec spec = spec(specFile, model);
        if (images == null) {
            return new Loaded(spec, null);
        }
        try {
            return new Loaded(spec, ImageFolderFrames.open(images, spec.input(), 0, limit));
        } catch (IOException e) {
            throw new UsageException(images + ": cannot list the images: " + e.getMessage());
        }
    }

    /** The first {@code count} frames as tensors; a frame that cannot be read is bad input. */
    static List<float[]> tensors(ImageFolderFrames frames, int count) throws UsageException {
        long n = 1;
        for (long d : frames.sampleShape()) {
            n *= d;
        }
        List<float[]> out = new ArrayList<>();
        for (int i = 0; i < Math.min(count, frames.count()); i++) {
            float[] t = new float[Math.toIntExact(n)];
            try {
                frames.fill(i, t);
            } catch (CalibrationException e) {
                throw new UsageException(e.getMessage(), e);
            }
            out.add(t);
        }
        return out;
    }
}
