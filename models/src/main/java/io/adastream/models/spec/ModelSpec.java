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

    /**
     * The model input: tensor name, size, resize rule ({@code stretch} or {@code letterbox}), resampling
     * ({@code bilinear} or {@code area}), channel order ({@code RGB} or {@code BGR}) and normalization (one of
     * {@link PixelNormalization}'s names; per-channel values are in the model's channel order). Everything but the
     * name and size is optional; omitted, it means what it always did: stretch, bilinear, RGB,
     * {@code (x / 255 - mean) / std}.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Input(String name, int width, int height, String resize, float[] mean, float[] std,
                        String channels, String normalize, float[] scale, float[] offset, String interpolation,
                        int[] pad, String layout) {

        /** The grey (114, 114, 114) that YOLO-style letterboxing pads with, used when {@code pad} is omitted. */
        public static final int DEFAULT_PAD_RGB = 0x727272;

        /** A spec input with today's defaults for everything but size and normalization. */
        public static Input of(String name, int width, int height, float[] mean, float[] std) {
            return new Input(name, width, height, null, mean, std, null, null, null, null, null, null, null);
        }

        /** Whether the model takes its channels blue first. */
        public boolean bgr() {
            return "BGR".equalsIgnoreCase(channels);
        }

        /** Whether frames are letterboxed (aspect kept, padded) rather than stretched. */
        public boolean letterbox() {
            return "letterbox".equals(resize);
        }

        /** Whether frames are resampled by area averaging rather than bilinearly. */
        public boolean areaResize() {
            return "area".equals(interpolation);
        }

        /** The letterbox padding colour as packed 0xRRGGBB. */
        public int padRgb() {
            return pad == null ? DEFAULT_PAD_RGB : (pad[0] << 16) | (pad[1] << 8) | pad[2];
        }

        /** The normalization form, {@code unit-mean-std} when omitted. */
        public PixelNormalization normalization() {
            return normalize == null ? PixelNormalization.UNIT_MEAN_STD : PixelNormalization.byName(normalize);
        }

        void validate(String origin) throws ModelSpecException {
            require(name != null && !name.isBlank(), origin, "'input.name' is missing");
            require(width > 0 && width <= 8192 && height > 0 && height <= 8192, origin,
                    String.format(Locale.ROOT, "input size %dx%d is out of range 1..8192", width, height));
            require(resize == null || resize.equals("stretch") || resize.equals("letterbox"), origin,
                    "'input.resize' must be \"stretch\" or \"letterbox\", got " + resize);
            require(interpolation == null || interpolation.equals("bilinear") || interpolation.equals("area"), origin,
                    "'input.interpolation' must be \"bilinear\" or \"area\", got " + interpolation);
            require(channels == null || channels.equalsIgnoreCase("RGB") || channels.equalsIgnoreCase("BGR"), origin,
                    "'input.channels' must be \"RGB\" or \"BGR\", got " + channels);
            require(layout == null || layout.equals("NCHW"), origin,
                    "'input.layout' must be \"NCHW\" (the only layout the service feeds), got " + layout);
            require(pad == null || (pad.length == 3 && inByteRange(pad)), origin,
                    "'input.pad' needs 3 values in 0..255 (R, G, B)");
            require(normalize == null || PixelNormalization.known(normalize), origin,
                    "'input.normalize' must be one of " + PixelNormalization.names() + ", got " + normalize);
            PixelNormalization form = normalization();
            if (form.usesMeanStd()) {
                require(mean != null && mean.length == 3 && std != null && std.length == 3, origin,
                        "'input.mean' and 'input.std' need 3 values each (normalize " + form.specName() + ")");
                for (float s : std) {
                    require(s > 0 && Float.isFinite(s), origin, "'input.std' values must be positive");
                }
                for (float m : mean) {
                    require(Float.isFinite(m), origin, "'input.mean' values must be finite");
                }
            } else {
                require(mean == null && std == null, origin, "'input.mean' and 'input.std' are not used by normalize "
                        + form.specName() + "; remove them");
            }
            if (form == PixelNormalization.SCALE_OFFSET) {
                require(scale != null && scale.length == 3 && offset != null && offset.length == 3, origin,
                        "'input.scale' and 'input.offset' need 3 values each (normalize scale-offset)");
                for (int c = 0; c < 3; c++) {
                    require(Float.isFinite(scale[c]) && scale[c] != 0f && Float.isFinite(offset[c]), origin,
                            "'input.scale' values must be finite and non-zero, 'input.offset' values finite");
                }
            } else {
                require(scale == null && offset == null, origin, "'input.scale' and 'input.offset' are used only by "
                        + "normalize scale-offset");
            }
        }

        private static boolean inByteRange(int[] values) {
            for (int v : values) {
                if (v < 0 || v > 255) {
                    return false;
                }
            }
            return true;
        }
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
        return input.letterbox();
    }

    void validate(String origin) throws ModelSpecException {
        require(name != null && !name.isBlank(), origin, "'name' is missing");
        require(SEGMENTATION.equals(task) || DETECTION.equals(task), origin,
                "'task' must be \"segmentation\" or \"detection\", got " + task);
        require(model != null && !model.isBlank(), origin, "'model' (the ONNX file) is missing");
        require(input != null, origin, "'input' is missing");
        input.validate(origin);
        require(classes != null && classes.size() >= 2, origin, "'classes' needs the background and at least one class");
        require(output != null && output.name() != null && !output.name().isBlank(), origin, "'output.name' is missing");
        if (DETECTION.equals(task)) {
            require(detection != null, origin, "a detector needs 'detection' thresholds");
            require(detection.scoreThreshold() >= 0 && detection.scoreThreshold() < 1
                    && detection.iouThreshold() > 0 && detection.iouThreshold() <= 1
                    && detection.maxDetections() > 0, origin, "'detection' thresholds are out of range");
        }
    }

    static void require(boolean ok, String origin, String message) throws ModelSpecException {
        if (!ok) {
            throw new ModelSpecException(origin + ": " + message);
        }
    }
}
