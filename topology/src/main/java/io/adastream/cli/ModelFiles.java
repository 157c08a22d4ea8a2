package io.adastream.cli;

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

    static OnnxModel load(String file) throws UsageException {
        Path path = Path.of(file);
        try {
            if (Files.isDirectory(path)) {
                throw new UsageException(file + " is a directory, expected an ONNX file");
            }
            return OnnxModel.load(path);
        } catch (NoSuchFileException e) {
            throw new UsageException(file + ": no such file");
        } catch (IOException e) {
            throw new UsageException(file + ": cannot read: " + e.getMessage());
        } catch (ModelFormatException e) {
            throw new UsageException(file + ": " + e.getMessage(), e);
        } catch (OutOfMemoryError e) {
            throw new UsageException(file + ": too large to load");
        }
    }
}
