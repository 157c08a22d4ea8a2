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

    /** Segmentation: per-pixel class logits or class ids (class 0 = background); see {@link OutputFormat}. */
    public static final String SEGMENTATION = "segmentation";
    /** Detection: boxes of K foreground classes in one of the {@link OutputFormat}s. */
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

    /**
     * The model output: the decoder that reads it (see {@link OutputFormat}; {@code grid} for a detector and
     * {@code logits} for a segmenter when omitted), the tensor names it reads, and the decoder's settings. {@code format}
     * is free text for people. Settings a decoder does not use are ignored.
     *
     * @param name            the output tensor of the single-tensor formats
     * @param boxes           {@code ssd} and split {@code nms-included}: the boxes tensor
     * @param scores          {@code ssd} and split {@code nms-included}: the scores tensor
     * @param classIds        split {@code nms-included}: the class index tensor
     * @param boxForm         {@code corners} (x1, y1, x2, y2) or {@code centre} (cx, cy, w, h)
     * @param boxUnits        {@code pixels} (of the model input) or {@code normalized} (fractions of it)
     * @param scoreActivation {@code none}, {@code sigmoid} or {@code softmax}, applied to class scores
     * @param classOffset     {@code nms-included}: class id = model class index + offset (1 when omitted)
     * @param grid            {@code grid}: how the cell terms are read
     * @param upsample        segmentation: {@code nearest} or {@code bilinear} (of the logits) back to the frame
     * @param priors          {@code ssd}: the priors the boxes are raw offsets to; omitted, the boxes are decoded
     * @param count           split {@code nms-included}: an optional tensor [N] or [N, 1] of valid rows per item
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Output(String name, String format, String decoder, String boxes, String scores, String classIds,
                         String boxForm, String boxUnits, String scoreActivation, Integer classOffset, Grid grid,
                         String upsample, Priors priors, String count) {

        /** An output read by the task's default decoder. */
        public static Output of(String name) {
            return new Output(name, null, null, null, null, null, null, null, null, null, null, null, null, null);
        }

        /** The decoder of this output for a model of the given task. */
        public OutputFormat outputFormat(String task) {
            if (decoder == null) {
                return SEGMENTATION.equals(task) ? OutputFormat.LOGITS : OutputFormat.GRID;
            }
            return OutputFormat.byName(decoder);
        }

        /** Whether an {@code nms-included} output comes as three tensors rather than one [N, D, 6]. */
        public boolean split() {
            return boxes != null;
        }

        /** Box corners rather than centre and size; the default depends on the format. */
        public boolean cornerBoxes(OutputFormat f) {
            return boxForm == null ? f == OutputFormat.SSD || f == OutputFormat.NMS_INCLUDED : boxForm.equals("corners");
        }

        /** Boxes in fractions of the input size rather than input pixels; the default depends on the format. */
        public boolean normalizedBoxes(OutputFormat f) {
            return boxUnits == null ? f == OutputFormat.SSD : boxUnits.equals("normalized");
        }

        /** The activation applied to class scores, {@code none} when omitted. */
        public String activation() {
            return scoreActivation == null ? "none" : scoreActivation;
        }

        public int classIdOffset() {
            return classOffset == null ? 1 : classOffset;
        }

        /** The grid settings, the demo detector's form when omitted. */
        public Grid gridForm() {
            return grid == null ? Grid.DEMO : grid.withDefaults();
        }

        public boolean bilinearUpsample() {
            return "bilinear".equals(upsample);
        }

        /** The model output tensors the decoder reads. */
        public List<String> tensorNames(String task) {
            OutputFormat f = outputFormat(task);
            if (f == OutputFormat.SSD) {
                return List.of(boxes, scores);
            }
            if (f == OutputFormat.NMS_INCLUDED && split()) {
                return present(count) ? List.of(boxes, scores, classIds, count) : List.of(boxes, scores, classIds);
            }
            return List.of(name);
        }

        void validate(String origin, String task) throws ModelSpecException {
            require(decoder == null || OutputFormat.known(decoder), origin,
                    "'output.decoder' must be one of " + OutputFormat.names() + ", got " + decoder);
            OutputFormat f = outputFormat(task);
            require(f.segmentation() == SEGMENTATION.equals(task), origin, "'output.decoder' " + f.specName()
                    + " is not a " + task + " format; " + task + " formats: " + OutputFormat.names(SEGMENTATION.equals(task)));
            if (f == OutputFormat.SSD) {
                require(present(boxes) && present(scores), origin, "an ssd output needs 'output.boxes' and 'output.scores'");
            } else if (f == OutputFormat.NMS_INCLUDED && split()) {
                require(present(boxes) && present(scores) && present(classIds), origin,
                        "a split nms-included output needs 'output.boxes', 'output.scores' and 'output.classIds'");
            } else {
                require(present(name), origin, "'output.name' is missing");
            }
            require(boxForm == null || boxForm.equals("corners") || boxForm.equals("centre"), origin,
                    "'output.boxForm' must be \"corners\" or \"centre\", got " + boxForm);
            require(boxUnits == null || boxUnits.equals("pixels") || boxUnits.equals("normalized"), origin,
                    "'output.boxUnits' must be \"pixels\" or \"normalized\", got " + boxUnits);
            require(scoreActivation == null || List.of("none", "sigmoid", "softmax").contains(scoreActivation), origin,
                    "'output.scoreActivation' must be \"none\", \"sigmoid\" or \"softmax\", got " + scoreActivation);
            require(upsample == null || upsample.equals("nearest") || upsample.equals("bilinear"), origin,
                    "'output.upsample' must be \"nearest\" or \"bilinear\", got " + upsample);
            if (grid != null) {
                grid.validate(origin);
            }
            if (priors != null) {
                require(f == OutputFormat.SSD, origin, "'output.priors' is read only by the ssd decoder");
                require(boxForm == null && boxUnits == null, origin, "with 'output.priors' the boxes are offsets to "
                        + "the priors, not corners or centres: remove 'output.boxForm' and 'output.boxUnits'");
            }
            require(count == null || (f == OutputFormat.NMS_INCLUDED && split() && present(count)), origin,
                    "'output.count' is read only by a split nms-included output (with 'output.boxes')");
        }

        private static boolean present(String s) {
            return s != null && !s.isBlank();
        }
    }

    /**
     * How a {@code grid} detector's cell terms become a box and a score, for cell (gy, gx) of stride s:
     * {@code objectness} {@code sigmoid} (a logit) or {@code none} (a probability); {@code classes} {@code softmax},
     * {@code sigmoid} or {@code none}; {@code centre} {@code sigmoid} ({@code cx = (gx + sigmoid(t)) * s}) or
     * {@code tanh} ({@code cx = (gx + tanh(t)) * s}); {@code size} {@code exp} ({@code w = exp(t) * s}) or
     * {@code sigmoid} ({@code w = sigmoid(t) * input width}).
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Grid(String objectness, String classes, String centre, String size) {
        /** The demo detector's form. */
        public static final Grid DEMO = new Grid("sigmoid", "softmax", "sigmoid", "exp");
        /** FastestDet's form: probabilities already, tanh centre offsets, sigmoid sizes relative to the image. */
        public static final Grid FASTESTDET = new Grid("none", "none", "tanh", "sigmoid");

        Grid withDefaults() {
            return new Grid(objectness == null ? DEMO.objectness : objectness, classes == null ? DEMO.classes : classes,
                    centre == null ? DEMO.centre : centre, size == null ? DEMO.size : size);
        }

        void validate(String origin) throws ModelSpecException {
            require(objectness == null || List.of("sigmoid", "none").contains(objectness), origin,
                    "'output.grid.objectness' must be \"sigmoid\" or \"none\", got " + objectness);
            require(classes == null || List.of("softmax", "sigmoid", "none").contains(classes), origin,
                    "'output.grid.classes' must be \"softmax\", \"sigmoid\" or \"none\", got " + classes);
            require(centre == null || List.of("sigmoid", "tanh").contains(centre), origin,
                    "'output.grid.centre' must be \"sigmoid\" or \"tanh\", got " + centre);
            require(size == null || List.of("exp", "sigmoid").contains(size), origin,
                    "'output.grid.size' must be \"exp\" or \"sigmoid\", got " + size);
        }
    }

    /**
     * The priors (anchor boxes) an {@code ssd} model's raw box offsets are relative to, generated as UltraFace and
     * SSD generate them. Level k of stride s_k has a feature map of ceil(W / s_k) x ceil(H / s_k) cells (W x H the
     * input size); each cell (row j, column i), in row-major order, has one square prior per min size m of the level,
     * of size (m / W, m / H), centred at ((i + 0.5) / fw, (j + 0.5) / fh) ({@code centres} {@code feature-map}, the
     * default, UltraFace) or at ((i + 0.5) s_k / W, (j + 0.5) s_k / H) ({@code stride}); all clipped to [0, 1]
     * unless {@code clip} is false. Offsets (tx, ty, tw, th) decode to cx = p_cx + tx cv p_w, cy = p_cy + ty cv p_h,
     * w = p_w exp(tw sv), h = p_h exp(th sv), with centre variance cv (0.1 when omitted) and size variance sv (0.2).
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Priors(int[] strides, int[][] minSizes, Float centreVariance, Float sizeVariance, String centres,
                         Boolean clip) {

        /** The most priors a spec may generate. */
        public static final long MAX_PRIORS = 2_000_000;

        /** UltraFace's levels: strides 8, 16, 32, 64 and their min sizes. */
        public static final Priors ULTRAFACE = new Priors(new int[]{8, 16, 32, 64},
                new int[][]{{10, 16, 24}, {32, 48}, {64, 96}, {128, 192, 256}}, null, null, null, null);

        public float centreVarianceOrDefault() {
            return centreVariance == null ? 0.1f : centreVariance;
        }

        public float sizeVarianceOrDefault() {
            return sizeVariance == null ? 0.2f : sizeVariance;
        }

        /** Whether centres are cell centres of the rounded-up feature map (else multiples of the stride). */
        public boolean featureMapCentres() {
            return centres == null || centres.equals("feature-map");
        }

        public boolean clipped() {
            return clip == null || clip;
        }

        /** How many priors these levels make for an input of {@code width} x {@code height}. */
        public long count(int width, int height) {
            long n = 0;
            for (int k = 0; k < strides.length; k++) {
                n += cells(width, strides[k]) * cells(height, strides[k]) * minSizes[k].length;
            }
            return n;
        }

        /** Cells of a feature map along one axis: ceil(size / stride). */
        public static long cells(int size, int stride) {
            return (size + (long) stride - 1) / stride;
        }

        void validate(String origin, int width, int height) throws ModelSpecException {
            require(strides != null && strides.length > 0 && minSizes != null && minSizes.length == strides.length,
                    origin, "'output.priors' needs 'strides' and as many lists of 'minSizes', one per level");
            for (int k = 0; k < strides.length; k++) {
                require(strides[k] > 0 && strides[k] <= 8192, origin, "'output.priors.strides' must be 1..8192, got "
                        + strides[k]);
                require(minSizes[k] != null && minSizes[k].length > 0, origin, "'output.priors.minSizes' level " + k
                        + " is empty");
                for (int m : minSizes[k]) {
                    require(m > 0 && m <= 65536, origin, "'output.priors.minSizes' must be 1..65536, got " + m);
                }
            }
            require(centreVariance == null || (centreVariance > 0 && Float.isFinite(centreVariance)), origin,
                    "'output.priors.centreVariance' must be positive");
            require(sizeVariance == null || (sizeVariance > 0 && Float.isFinite(sizeVariance)), origin,
                    "'output.priors.sizeVariance' must be positive");
            require(centres == null || centres.equals("feature-map") || centres.equals("stride"), origin,
                    "'output.priors.centres' must be \"feature-map\" or \"stride\", got " + centres);
            require(count(width, height) <= MAX_PRIORS, origin, "'output.priors' make " + count(width, height)
                    + " priors at " + width + "x" + height + ", more than " + MAX_PRIORS);
        }
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
        require(output != null, origin, "'output' is missing");
        output.validate(origin, task);
        if (output.priors() != null) {
            output.priors().validate(origin, input.width(), input.height());
        }
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
