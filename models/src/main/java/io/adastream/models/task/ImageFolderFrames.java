package io.adastream.models.task;

import io.adastream.adapt.calibrate.CalibrationException;
import io.adastream.adapt.calibrate.CalibrationFrames;
import io.adastream.models.io.ImageDecodeException;
import io.adastream.models.io.ImageDecoder;
import io.adastream.models.spec.ModelSpec;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * The images of a folder (JPEG, PNG, BMP, GIF; by file name, not recursive) as model-input tensors through a spec's
 * pre-processing, decoded one at a time when asked for. An optional alteration (e.g. a corruption) is applied to each
 * decoded image before pre-processing.
 */
public final class ImageFolderFrames implements CalibrationFrames {

    private static final List<String> EXTENSIONS = List.of(".jpg", ".jpeg", ".png", ".bmp", ".gif");

    private final List<Path> files;
    private final ModelSpec.Input input;
    private final ImagePreprocessor preprocessor;
    private final ImageDecoder decoder = new ImageDecoder();
    private final UnaryOperator<BufferedImage> alteration;

    private ImageFolderFrames(List<Path> files, ModelSpec.Input input, UnaryOperator<BufferedImage> alteration) {
        this.files = files;
        this.input = input;
        this.preprocessor = ImagePreprocessor.forInput(input);
        this.alteration = alteration;
    }

    /**
     * The first {@code limit} images of {@code folder} by file name, skipping the first {@code skip}.
     *
     * @throws IOException if the folder cannot be listed
     */
    public static ImageFolderFrames open(Path folder, ModelSpec.Input input, int skip, int limit) throws IOException {
        return open(folder, input, skip, limit, UnaryOperator.identity());
    }

    /** As {@link #open(Path, ModelSpec.Input, int, int)}, each image altered before pre-processing. */
    public static ImageFolderFrames open(Path folder, ModelSpec.Input input, int skip, int limit,
                                         UnaryOperator<BufferedImage> alteration) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new IOException(folder + " is not a folder");
        }
        try (Stream<Path> listing = Files.list(folder)) {
            List<Path> files = listing.filter(Files::isRegularFile).filter(ImageFolderFrames::isImage).sorted()
                    .skip(skip).limit(limit).toList();
            return new ImageFolderFrames(files, input, alteration);
        }
    }

    private static boolean isImage(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return EXTENSIONS.stream().anyMatch(name::endsWith);
    }

    @Override
    public int count() {
        return files.size();
    }

    @Override
    public long[] sampleShape() {
        return new long[]{3, input.height(), input.width()};
    }

    @Override
    public String describe(int index) {
        return files.get(index).getFileName().toString();
    }

    /** Decodes frame {@code index} (altered, not pre-processed). */
    public BufferedImage image(int index) throws CalibrationException {
        Path file = files.get(index);
        try {
            return alteration.apply(decoder.decode(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new CalibrationException(CalibrationException.Reason.BAD_FRAME,
                    "frame " + describe(index) + ": cannot read: " + e.getMessage(), e);
        } catch (ImageDecodeException e) {
            throw new CalibrationException(CalibrationException.Reason.BAD_FRAME,
                    "frame " + describe(index) + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new CalibrationException(CalibrationException.Reason.BAD_FRAME,
                    "frame " + describe(index) + ": cannot pre-process: " + e.getMessage(), e);
        }
    }

    @Override
    public void fill(int index, float[] dst) throws CalibrationException {
        BufferedImage image = image(index);
        try {
            preprocessor.preprocess(image, FloatBuffer.wrap(dst), 0);
        } catch (RuntimeException e) {
            throw new CalibrationException(CalibrationException.Reason.BAD_FRAME,
                    "frame " + describe(index) + ": cannot pre-process: " + e.getMessage(), e);
        }
    }
}
