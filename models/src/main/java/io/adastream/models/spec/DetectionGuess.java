package io.adastream.models.spec;

import ai.onnxruntime.TensorInfo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The detection format a model's output shapes imply (or fit, when the user names one), and why. */
record DetectionGuess(OutputFormat format, String why, int foreground, Map<String, Object> output,
                      boolean letterbox, List<String> check) implements SpecDraft.Guess {

    /** Rows of an [N, D, 6] output at most this many are taken for boxes after NMS rather than anchors. */
    static final int MAX_NMS_ROWS = 1000;

    static DetectionGuess of(ModelSignature model, OutputFormat named, List<String> classes) throws ModelSpecException {
        int known = classes == null ? -1 : classes.size()
                - (!classes.isEmpty() && classes.get(0).equalsIgnoreCase("background") ? 1 : 0);
        List<String> floats = new ArrayList<>();
        model.outputs().forEach((n, t) -> {
            if (t.type == ai.onnxruntime.OnnxJavaType.FLOAT) {
                floats.add(n);
            }
        });
        OutputFormat format = named != null ? named : guessFormat(model, floats, known);
        DetectionGuess g = switch (format) {
            case SSD -> ssd(model, floats, known);
            case NMS_INCLUDED -> nmsIncluded(model, floats, known);
            case GRID -> grid(model, floats, known);
            case YOLOV5, YOLOV8 -> yolo(model, floats, known, format);
            default -> null;
        };
        if (g == null) {
            throw new ModelSpecException("the model's float outputs (" + SpecDraft.describe(floatsOf(model, floats))
                    + ") do not fit the " + format.specName() + " format" + (known > 0 ? " with " + known + " classes" : ""));
        }
        return g;
    }

    private static OutputFormat guessFormat(ModelSignature model, List<String> floats, int known) throws ModelSpecException {
        if (floats.size() == 2 && ssd(model, floats, known) != null) {
            return OutputFormat.SSD;
        }
        if (floats.size() == 3 && nmsIncluded(model, floats, known) != null) {
            return OutputFormat.NMS_INCLUDED;
        }
        if (floats.size() == 1) {
            long[] s = model.shape(floats.get(0));
            if (s.length == 4) {
                return OutputFormat.GRID;
            }
            if (s.length == 3) {
                long a = s[1];
                long b = s[2];
                if (known > 0) {
                    if (b == 5 + known) {
                        return OutputFormat.YOLOV5;
                    }
                    if (a == 4 + known || b == 4 + known) {
                        return OutputFormat.YOLOV8;
                    }
                }
                if (b == 6 && a > 0 && a <= MAX_NMS_ROWS) {
                    return OutputFormat.NMS_INCLUDED;
                }
                return a > 0 && b > a ? OutputFormat.YOLOV8 : OutputFormat.YOLOV5;
            }
        }
        throw new ModelSpecException("cannot tell the detection format from the outputs (" + SpecDraft.describe(floatsOf(model, floats))
                + "): name it with --format, one of " + OutputFormat.names(false));
    }

    private static DetectionGuess ssd(ModelSignature model, List<String> floats, int known) {
        for (String boxes : floats) {
            long[] b = model.shape(boxes);
            if (b.length != 3 || b[2] != 4) {
                continue;
            }
            for (String scores : floats) {
                long[] s = model.shape(scores);
                if (scores.equals(boxes) || s.length != 3 || s[1] != b[1] || s[2] < 1) {
                    continue;
                }
                long columns = s[2];
                boolean background = known > 0 ? columns == known + 1 : columns >= 2;
                if (known > 0 && columns != known && columns != known + 1) {
                    continue;
                }
                int foreground = (int) (background ? columns - 1 : columns);
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("decoder", "ssd");
                out.put("boxes", boxes);
                out.put("scores", scores);
                String why = "two outputs, " + boxes + " " + SpecDraft.shape(b) + " and " + scores + " " + SpecDraft.shape(s)
                        + ": 4 box values and " + columns + " scores per anchor for " + b[1] + " anchors (SSD); "
                        + (background ? "the first score column taken for the background" : "no background column");
                List<String> check = new ArrayList<>();
                boolean raw = model.rawHeads().contains(boxes);
                int[] size = inputSize(model);
                boolean ultraFace = size != null && b[1] == ModelSpec.Priors.ULTRAFACE.count(size[0], size[1]);
                if (raw && ultraFace) {
                    ModelSpec.Priors p = ModelSpec.Priors.ULTRAFACE;
                    Map<String, Object> priors = new LinkedHashMap<>();
                    priors.put("strides", p.strides());
                    priors.put("minSizes", p.minSizes());
                    priors.put("centreVariance", p.centreVarianceOrDefault());
                    priors.put("sizeVariance", p.sizeVarianceOrDefault());
                    out.put("priors", priors);
                    why += "; " + boxes + " is convolution outputs only rearranged (no decoding in the graph), so raw "
                            + "offsets to priors, and " + b[1] + " anchors is UltraFace's prior layout at " + size[0] + "x"
                            + size[1] + " (strides 8, 16, 32, 64)";
                    check.add("ssd boxes taken as offsets to UltraFace's priors: set output.priors to the model's own "
                            + "strides, min sizes and variances if it was trained with others");
                } else {
                    out.put("boxForm", "corners");
                    out.put("boxUnits", "normalized");
                    if (raw) {
                        why += "; " + boxes + " is convolution outputs only rearranged, likely raw offsets to priors";
                        check.add("ssd " + boxes + " looks like raw offsets to priors (no decoding in the graph), and its "
                                + b[1] + " anchors are not UltraFace's layout: add output.priors (strides, minSizes) "
                                + "and remove output.boxForm and output.boxUnits");
                    } else {
                        check.add("ssd boxes written as normalised corners (x1, y1, x2, y2): set output.boxForm and "
                                + "output.boxUnits if the model writes centre and size or pixels");
                    }
                }
                out.put("scoreActivation", "none");
                check.add("ssd scores taken as probabilities: set output.scoreActivation to softmax or sigmoid for raw logits");
                return new DetectionGuess(OutputFormat.SSD, why, foreground, out, false, check);
            }
        }
        return null;
    }

    private static DetectionGuess nmsIncluded(ModelSignature model, List<String> floats, int known) {
        if (floats.size() == 1) {
            long[] s = model.shape(floats.get(0));
            if (s.length != 3 || s[2] != 6) {
                return null;
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("name", floats.get(0));
            out.put("decoder", "nms-included");
            out.put("boxForm", "corners");
            out.put("boxUnits", "pixels");
            out.put("classOffset", 1);
            String why = "one output " + floats.get(0) + " " + SpecDraft.shape(s) + " with 6 values per row and at most "
                    + MAX_NMS_ROWS + " rows: boxes already through NMS (x1, y1, x2, y2, score, class)";
            return new DetectionGuess(OutputFormat.NMS_INCLUDED, why, Math.max(known, 1), out, true,
                    List.of("class indices taken to start at 0 for the first foreground class (output.classOffset 1)"));
        }
        String boxes = null;
        for (String n : floats) {
            long[] s = model.shape(n);
            if (s.length == 3 && s[2] == 4) {
                boxes = n;
            }
        }
        if (boxes == null || floats.size() != 3) {
            return null;
        }
        long rows = model.shape(boxes)[1];
        List<String> others = new ArrayList<>(floats);
        others.remove(boxes);
        for (String n : others) {
            long[] s = model.shape(n);
            if (s.length < 2 || s[1] != rows || (s.length == 3 && s[2] != 1) || s.length > 3) {
                return null;
            }
        }
        String scores = others.stream().filter(n -> n.toLowerCase().contains("score")).findFirst().orElse(others.get(0));
        String classIds = others.get(others.get(0).equals(scores) ? 1 : 0);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("decoder", "nms-included");
        out.put("boxes", boxes);
        out.put("scores", scores);
        out.put("classIds", classIds);
        out.put("boxForm", "corners");
        out.put("boxUnits", "pixels");
        out.put("classOffset", 1);
        String why = "three outputs with " + rows + " rows each, " + boxes + " of 4 values: boxes, scores and classes "
                + "already through NMS";
        return new DetectionGuess(OutputFormat.NMS_INCLUDED, why, Math.max(known, 1), out, true,
                List.of("check which of " + others + " is the scores and which the class ids"));
    }

    private static DetectionGuess grid(ModelSignature model, List<String> floats, int known) {
        for (String n : floats) {
            long[] s = model.shape(n);
            if (s.length != 4 || s[1] < 6 || (known > 0 && s[1] != 5 + known)) {
                continue;
            }
            List<String> producers = model.producers().getOrDefault(n, List.of());
            boolean probabilities = producers.size() > 1 && producers.get(0).equals("Concat")
                    && (producers.contains("Sigmoid") || producers.contains("Softmax"));
            ModelSpec.Grid form = probabilities ? ModelSpec.Grid.FASTESTDET : ModelSpec.Grid.DEMO;
            Map<String, Object> grid = new LinkedHashMap<>();
            grid.put("objectness", form.objectness());
            grid.put("classes", form.classes());
            grid.put("centre", form.centre());
            grid.put("size", form.size());
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("name", n);
            out.put("decoder", "grid");
            out.put("grid", grid);
            String why = "one output " + n + " " + SpecDraft.shape(s) + ": " + s[1] + " channels (objectness, 4 box terms, "
                    + (s[1] - 5) + " classes) per cell of a " + s[2] + "x" + s[3] + " grid; "
                    + (probabilities ? "it is a Concat fed by Sigmoid/Softmax, so scores are taken as probabilities "
                    + "(FastestDet form)" : "scores taken as logits (the demo detector's form)");
            return new DetectionGuess(OutputFormat.GRID, why, (int) (s[1] - 5), out, false,
                    List.of("grid centre and size terms written as " + form.centre() + " and " + form.size()
                            + ": check output.grid against the model's own decoding"));
        }
        return null;
    }

    private static DetectionGuess yolo(ModelSignature model, List<String> floats, int known, OutputFormat format) {
        for (String n : floats) {
            long[] s = model.shape(n);
            if (s.length != 3) {
                continue;
            }
            int k;
            String why;
            if (format == OutputFormat.YOLOV5) {
                k = (int) (s[2] - 5);
                if (s[2] < 6 || (known > 0 && k != known)) {
                    continue;
                }
                why = "one output " + n + " " + SpecDraft.shape(s) + ": " + s[1] + " anchor rows of " + s[2]
                        + " values (cx, cy, w, h, objectness, " + k + " class scores), YOLOv5 layout";
            } else {
                boolean columns = known > 0 ? s[1] == 4 + known : s[2] > s[1];
                long per = columns ? s[1] : s[2];
                k = (int) (per - 4);
                if (per < 5 || (known > 0 && k != known)) {
                    continue;
                }
                why = "one output " + n + " " + SpecDraft.shape(s) + ": " + per + " values (cx, cy, w, h, " + k
                        + " class scores, no objectness) per anchor for " + (columns ? s[2] : s[1]) + " anchors, "
                        + "YOLOv8/YOLO11 layout" + (columns ? "" : " (transposed)");
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("name", n);
            out.put("decoder", format.specName());
            out.put("boxForm", "centre");
            out.put("boxUnits", "pixels");
            out.put("scoreActivation", "none");
            return new DetectionGuess(format, why, k, out, true,
                    List.of("scores taken as probabilities (exports apply the sigmoid): set output.scoreActivation "
                            + "to sigmoid for raw logits"));
        }
        return null;
    }

    /** Width and height of the model's image input [N, 3, H, W], or null when it has none or it is dynamic. */
    private static int[] inputSize(ModelSignature model) {
        for (TensorInfo t : model.inputs().values()) {
            long[] s = t.getShape();
            if (s.length == 4 && s[1] == 3 && s[2] > 0 && s[3] > 0) {
                return new int[]{(int) s[3], (int) s[2]};
            }
        }
        return null;
    }

    private static Map<String, TensorInfo> floatsOf(ModelSignature model, List<String> floats) {
        Map<String, TensorInfo> m = new LinkedHashMap<>();
        for (String f : floats) {
            m.put(f, model.outputs().get(f));
        }
        return m;
    }

    @Override
    public void preprocessing(Map<String, Object> input) {
        input.put("channels", "RGB");
        input.put("normalize", "unit");
        input.put("resize", letterbox ? "letterbox" : "stretch");
        input.put("interpolation", "bilinear");
    }
}
