package io.adastream.models.spec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The segmentation format a model's output shape implies (or fits, when the user names one), and why. */
record SegmentationGuess(OutputFormat format, String why, int foreground, Map<String, Object> output,
                         List<String> check) implements SpecDraft.Guess {

    static SegmentationGuess of(ModelSignature model, OutputFormat named, List<String> classes) throws ModelSpecException {
        int known = classes == null ? -1 : classes.size();
        for (Map.Entry<String, ai.onnxruntime.TensorInfo> e : model.outputs().entrySet()) {
            long[] s = e.getValue().getShape();
            boolean ids = s.length == 3 || (s.length == 4 && s[1] == 1);
            boolean logits = s.length == 4 && s[1] > 1 && (known < 0 || s[1] == known);
            OutputFormat f = ids ? OutputFormat.CLASS_IDS : logits ? OutputFormat.LOGITS : null;
            if (f == null || (named != null && named != f)) {
                continue;
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("name", e.getKey());
            out.put("decoder", f.specName());
            String size = s[s.length - 2] + "x" + s[s.length - 1];
            String why;
            int count;
            if (f == OutputFormat.LOGITS) {
                out.put("upsample", "bilinear");
                count = (int) s[1];
                why = "output " + e.getKey() + " " + SpecDraft.shape(s) + ": " + s[1] + " class logits per pixel of a "
                        + size + " map (argmax over axis 1), brought back to the frame bilinearly";
            } else {
                count = known > 0 ? known : 2;
                why = "output " + e.getKey() + " " + SpecDraft.shape(s) + ": one class id per pixel of a " + size
                        + " map (argmax inside the model)";
            }
            List<String> check = new java.util.ArrayList<>();
            if (f == OutputFormat.CLASS_IDS && known < 0) {
                check.add("a class-id output does not tell how many classes there are: give --classes FILE");
            }
            ai.onnxruntime.OnnxJavaType type = e.getValue().type;
            boolean whole = type == ai.onnxruntime.OnnxJavaType.INT64 || type == ai.onnxruntime.OnnxJavaType.INT32;
            if (type != ai.onnxruntime.OnnxJavaType.FLOAT && !(f == OutputFormat.CLASS_IDS && whole)) {
                check.add("output " + e.getKey() + " is " + type + ": the service reads " + (f == OutputFormat.CLASS_IDS
                        ? "class ids as FLOAT, INT64 or INT32" : "logits as FLOAT") + " and will refuse it at start");
            }
            return new SegmentationGuess(f, why, count, out, check);
        }
        throw new ModelSpecException("no output of the model fits " + (named == null ? "a segmentation format"
                : "the " + named.specName() + " format") + (known > 0 ? " with " + known + " classes" : "")
                + " (logits [N, K, h, w] or class ids [N, H, W] / [N, 1, H, W]); outputs: " + SpecDraft.describe(model.outputs()));
    }

    @Override
    public void preprocessing(Map<String, Object> input) {
        input.put("channels", "RGB");
        input.put("normalize", "unit-mean-std");
        input.put("mean", List.of(0.485, 0.456, 0.406));
        input.put("std", List.of(0.229, 0.224, 0.225));
        input.put("resize", "stretch");
        input.put("interpolation", "bilinear");
    }
}
