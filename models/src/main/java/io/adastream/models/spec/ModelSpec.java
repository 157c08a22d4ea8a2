package io.adastream.models.spec;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What the service needs to know about a model besides its graph: the task, how frames become the input tensor,
 * the class names and how to read the output. Read from a JSON file next to the ONNX file.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelSpec(String name, String task, String model, Input input, List<String> classes, Output output,
                        DetectionSettings detection) {

    /** Segmentation: per-pixel class logits [N, K+1, H, W] (class 0 = background). */
    public static final String SEGMENTATION = "segmentation";
    /** Detection: the grid format [N, 5+K, Gh, Gw] documented in GridDetectionDecoder. */
    public static final String DETECTION = "detection";

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true);

    /** The model input: tensor name, size, resize rule ({@code stretch} or {@code letterbox}) and normalization. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Input(String name, int width, int height, String resize, float[] mean, float[] std) {
    }

    /** The model output tensor and a human-readable description of its format. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Output(String name, String format) {
    }

    /** Post-processing thresholds of a detector. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record DetectionSettings(float scoreThreshold, float iouThreshold, int maxDetections) {
    }

    /** Reads and validates a spec file. */
    public static ModelSpec load(Path file) throws ModelSpecException {
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in, file.toString());
        } catch (IOException e) {
            throw new ModelSpecException(file + ": cannot read: " + e.getMessage());
        }
    }

    /** Reads and validates a spec from a stream; {@code origin} names it in errors. */
    public static ModelSpec parse(InputStream in, String origin) throws ModelSpecException {
        ModelSpec spec;
        try {
            spec = JSON.readValue(in, ModelSpec.class);
        } catch (JsonProcessingException e) {
            throw new ModelSpecException(origin + ": not a valid model spec: " + e.getOriginalMessage().lines().findFirst().orElse(""));
        } catch (IOException e) {
            throw new ModelSpecException(origin + ": cannot read: " + e.getMessage());
        }
        if (spec == null) {
            throw new ModelSpecException(origin + ": empty model spec");
        }
        spec.validate(origin);
        return spec;
    }

    /** The ONNX file this spec describes, resolved against the spec file's folder. */
    public Path modelPath(Path specFile) {
        Path parent = specFile.toAbsolutePath().getParent();
        return parent == null ? Path.of(model) : parent.resolve(model);
    }

    public boolean isSegmentation() {
        return SEGMENTATION.equals(task);
    }

    /** Foreground classes of a detector, or all classes (background included) of a segmenter. */
    public int outputClasses() {
        return isSegmentation() ? classes.size() : classes.size() - 1;
    }

    public boolean keepAspect() {
        return "letterbox".equals(input.resize());
    }

    void validate(String origin) throws ModelSpecException {
        require(name != null && !name.isBlank(), origin, "'name' is missing");
        require(SEGMENTATION.equals(task) || DETECTION.equals(task), origin,
                "'task' must be \"segmentation\" or \"detection\", got " + task);
        require(model != null && !model.isBlank(), origin, "'model' (the ONNX file) is missing");
        require(input != null, origin, "'input' is missing");
        require(input.name() != null && !input.name().isBlank(), origin, "'input.name' is missing");
        require(input.width() > 0 && input.width() <= 8192 && input.height() > 0 && input.height() <= 8192, origin,
                String.format(Locale.ROOT, "input size %dx%d is out of range 1..8192", input.width(), input.height()));
        require(input.resize() == null || input.resize().equals("stretch") || input.resize().equals("letterbox"), origin,
                "'input.resize' must be \"stretch\" or \"letterbox\"");
        require(input.mean() != null && input.mean().length == 3 && input.std() != null && input.std().length == 3, origin,
                "'input.mean' and 'input.std' need 3 values each (RGB)");
        for (float s : input.std()) {
            require(s > 0 && Float.isFinite(s), origin, "'input.std' values must be positive");
        }
        require(classes != null && classes.size() >= 2, origin, "'classes' needs the background and at least one class");
        require(output != null && output.name() != null && !output.name().isBlank(), origin, "'output.name' is missing");
        if (DETECTION.equals(task)) {
            require(detection != null, origin, "a detector needs 'detection' thresholds");
            require(detection.scoreThreshold() >= 0 && detection.scoreThreshold() < 1
                    && detection.iouThreshold() > 0 && detection.iouThreshold() <= 1
                    && detection.maxDetections() > 0, origin, "'detection' thresholds are out of range");
        }
    }

    private static void require(boolean ok, String origin, String message) throws ModelSpecException {
        if (!ok) {
            throw new ModelSpecException(origin + ": " + message);
        }
    }
}
