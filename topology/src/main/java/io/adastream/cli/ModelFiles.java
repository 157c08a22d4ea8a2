package io.adastream.cli;

import io.adastream.adapt.onnx.AdaptiveGraphRewriter;
import io.adastream.adapt.onnx.AdaptiveModel;
import io.adastream.adapt.onnx.ModelFormatException;
import io.adastream.adapt.onnx.OnnxModel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads model files for commands, turning every failure into a one-line {@link UsageException}. */
final class ModelFiles {

    private ModelFiles() {
    }

    static OnnxModel load(Path path) throws UsageException {
        try {
            if (Files.isDirectory(path)) {
                throw new UsageException(path + " is a directory, expected an ONNX file");
            }
            return OnnxModel.load(path);
        } catch (NoSuchFileException e) {
            throw new UsageException(path + ": no such file");
        } catch (IOException e) {
            throw new UsageException(path + ": cannot read: " + e.getMessage());
        } catch (ModelFormatException e) {
            throw new UsageException(path + ": " + e.getMessage(), e);
        } catch (OutOfMemoryError e) {
            throw new UsageException(path + ": too large to load");
        }
    }

    /** The adaptive rewrite of a loaded model; a model that cannot be adapted is bad input. */
    static AdaptiveModel rewrite(Path path, OnnxModel model) throws UsageException {
        try {
            return AdaptiveGraphRewriter.rewrite(model);
        } catch (ModelFormatException e) {
            throw new UsageException(path + ": " + e.getMessage(), e);
        }
    }
}
