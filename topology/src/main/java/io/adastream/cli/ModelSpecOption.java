package io.adastream.cli;

import io.adastream.models.spec.BundledModels;
import io.adastream.models.spec.ModelSpec;
import io.adastream.models.spec.ModelSpecException;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code --model} option of commands that need a model with its spec (mixed in with {@code @Mixin}): a
 * bundled demo model by name, or a model spec JSON file next to its ONNX file.
 */
final class ModelSpecOption {

    /** A model spec and its ONNX bytes. */
    record Loaded(ModelSpec spec, byte[] onnx) {
    }

    @Option(names = "--model", paramLabel = "segmenter|detector|SPEC.json", required = true,
            description = "a bundled demo model, or a model spec JSON file next to its ONNX file")
    String model;

    /** The name or file as given. */
    String name() {
        return model;
    }

    /** The spec file given, or null for a bundled model. */
    Path specFile() {
        return model.equals(BundledModels.SEGMENTER) || model.equals(BundledModels.DETECTOR) ? null : Path.of(model);
    }

    /** Loads the spec and the ONNX bytes; an unknown name or an unreadable spec or model is bad input. */
    Loaded load() throws UsageException {
        try {
            if (model.equals(BundledModels.SEGMENTER) || model.equals(BundledModels.DETECTOR)) {
                if (!BundledModels.available(model)) {
                    throw new UsageException("no bundled model '" + model + "' in this build");
                }
                return new Loaded(BundledModels.spec(model), BundledModels.onnx(model));
            }
            Path file = Path.of(model);
            ModelSpec spec = ModelSpec.load(file);
            return new Loaded(spec, Files.readAllBytes(spec.modelPath(file)));
        } catch (ModelSpecException e) {
            throw new UsageException(e.getMessage(), e);
        } catch (IOException e) {
            throw new UsageException(model + ": cannot read the model: " + e.getMessage(), e);
        }
    }
}
