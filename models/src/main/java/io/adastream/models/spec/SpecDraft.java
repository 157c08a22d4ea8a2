package io.adastream.models.spec;

import ai.onnxruntime.TensorInfo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A starting model spec worked out from a model's inputs and outputs: the input size, the output format guessed from
 * the output shapes (or the one the user names), the class names, and the reasons for each guess, recorded in the
 * spec's {@code guessed} field (which the service ignores) for the user to check and edit.
 *
 * @param json   the spec, ready to write as JSON
 * @param format the output format
 * @param why    why that format, one line
 * @param check  what the shapes cannot tell and the user should check, one line each
 */
public record SpecDraft(Map<String, Object> json, OutputFormat format, String why, List<String> check) {

    /**
     * @param task      {@code detection} or {@code segmentation}
     * @param format    the output format the user names, or null to guess
     * @param classes   the class names from the user's file (background first or not), or null
     * @param modelFile the model file as the spec should name it
     * @throws ModelSpecException when the model does not fit the task or the named format (one line)
     */
    public static SpecDraft draft(ModelSignature model, String modelFile, String name, String task, String format,
                                  List<String> classes) throws ModelSpecException {
        boolean segmentation = switch (task) {
            case ModelSpec.SEGMENTATION -> true;
            case ModelSpec.DETECTION -> false;
            default -> throw new ModelSpecException("--task must be detection or segmentation, got " + task);
        };
        OutputFormat named = null;
        if (format != null) {
            try {
                named = OutputFormat.byName(format);
            } catch (IllegalArgumentException e) {
                throw new ModelSpecException("--format: " + e.getMessage());
            }
            if (named.segmentation() != segmentation) {
                throw new ModelSpecException("--format " + format + " is not a " + task + " format; " + task
                        + " formats: " + OutputFormat.names(segmentation));
            }
        }
        Map.Entry<String, TensorInfo> input = imageInput(model);
        long[] in = input.getValue().getShape();
        List<String> check = new ArrayList<>();
        int height = (int) in[2];
        int width = (int) in[3];
        if (height <= 0 || width <= 0) {
            check.add("the input size is dynamic in the model: 640x640 written, set input.width and input.height");
            height = 640;
            width = 640;
        }
        Guess guess = segmentation ? SegmentationGuess.of(model, named, classes) : DetectionGuess.of(model, named, classes);
        List<String> names = classNames(classes, guess.foreground(), segmentation);

        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("name", name);
        spec.put("task", task);
        spec.put("model", modelFile);
        Map<String, Object> inputJson = new LinkedHashMap<>();
        inputJson.put("name", input.getKey());
        inputJson.put("width", width);
        inputJson.put("height", height);
        inputJson.put("layout", "NCHW");
        guess.preprocessing(inputJson);
        spec.put("input", inputJson);
        spec.put("classes", names);
        spec.put("output", guess.output());
        if (!segmentation) {
            Map<String, Object> detection = new LinkedHashMap<>();
            detection.put("scoreThreshold", 0.5);
            detection.put("iouThreshold", 0.45);
            detection.put("maxDetections", 100);
            spec.put("detection", detection);
        }
        check.addAll(guess.check());
        if (classes == null) {
            check.add("class names are placeholders: give --classes FILE (one name a line) or edit 'classes'");
        }
        check.add("the pre-processing (input.channels, input.normalize, input.resize, input.interpolation) cannot be "
                + "read from the graph: set it to what the model was trained with");
        Map<String, Object> guessed = new LinkedHashMap<>();
        guessed.put("format", guess.format().specName());
        guessed.put("why", guess.why());
        guessed.put("check", check);
        spec.put("guessed", guessed);
        return new SpecDraft(spec, guess.format(), guess.why(), check);
    }

    /** What a format guess contributes to the spec. */
    interface Guess {
        OutputFormat format();

        String why();

        /** Foreground classes (detection) or all classes (segmentation) the output implies. */
        int foreground();

        Map<String, Object> output();

        /** Writes the pre-processing usual for the format into the input block. */
        void preprocessing(Map<String, Object> input);

        List<String> check();
    }

    private static Map.Entry<String, TensorInfo> imageInput(ModelSignature model) throws ModelSpecException {
        for (Map.Entry<String, TensorInfo> e : model.inputs().entrySet()) {
            long[] s = e.getValue().getShape();
            if (s.length == 4 && s[1] == 3) {
                return e;
            }
        }
        throw new ModelSpecException("the model has no image input [N, 3, H, W]; inputs: " + describe(model.inputs()));
    }

    private static List<String> classNames(List<String> classes, int count, boolean segmentation) throws ModelSpecException {
        List<String> names = new ArrayList<>();
        if (classes == null) {
            names.add("background");
            for (int i = 1; i <= (segmentation ? count - 1 : count); i++) {
                names.add("class" + i);
            }
            return names;
        }
        boolean hasBackground = !classes.isEmpty() && classes.get(0).equalsIgnoreCase("background");
        if (!hasBackground && !segmentation) {
            names.add("background");
        }
        names.addAll(classes);
        int expected = segmentation ? count : count + 1;
        if (count > 0 && names.size() != expected) {
            throw new ModelSpecException("the classes file gives " + classes.size() + " names, the model's output has "
                    + count + (segmentation ? " classes" : " foreground classes"));
        }
        return names;
    }

    static String describe(Map<String, TensorInfo> tensors) {
        List<String> parts = new ArrayList<>();
        tensors.forEach((n, t) -> parts.add(n + " " + shape(t.getShape())));
        return String.join(", ", parts);
    }

    static String shape(long[] s) {
        return Arrays.toString(Arrays.stream(s).mapToObj(d -> d < 0 ? "N" : Long.toString(d)).toArray());
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
