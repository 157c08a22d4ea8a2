package io.adastream.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.common.serialization.Deserializer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Kafka {@link Deserializer} of the predictions topic's values (JSON, README "Topics and record formats") into
 * {@link Prediction}s. Fields the format does not name are ignored, so newer services stay readable; a missing or
 * malformed field is a {@link PredictionFormatException} naming it. A null value (a tombstone) gives null.
 * Thread-safe.
 */
public final class PredictionDeserializer implements Deserializer<Prediction> {

    /** Largest width or height the reader accepts, as the service's image limit. */
    public static final int MAX_DIMENSION = 65_535;
    /** Largest number of boxes in one detection result, as the service writes at most. */
    public static final int MAX_DETECTIONS = 10_000;

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public Prediction deserialize(String topic, byte[] data) {
        return data == null ? null : parse(data);
    }

    /** Reads one prediction record. */
    public static Prediction parse(byte[] json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new PredictionFormatException("not a JSON prediction record: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new PredictionFormatException("unreadable prediction record: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new PredictionFormatException("a prediction record must be a JSON object");
        }
        String task = text(root, "task");
        boolean segmentation = switch (task) {
            case "segmentation" -> true;
            case "detection" -> false;
            default -> throw new PredictionFormatException("'task' must be segmentation or detection, got '" + task + "'");
        };
        JsonNode model = object(root, "model");
        JsonNode adaptation = object(root, "adaptation");
        JsonNode source = root.get("source_result");
        JsonNode timings = root.get("timings_ms");
        return new Prediction(
                text(root, "frame_id"),
                text(root, "domain"),
                new Prediction.ModelInfo(text(model, "name", "model"), text(model, "sha256", "model")),
                task,
                new Prediction.Adaptation(
                        text(adaptation, "policy", "adaptation"),
                        text(adaptation, "mode", "adaptation"),
                        text(adaptation, "outcome", "adaptation"),
                        count(adaptation, "frames", "adaptation"),
                        count(adaptation, "version", "adaptation"),
                        number(adaptation, "weight", "adaptation"),
                        number(adaptation, "shift_score", "adaptation"),
                        number(adaptation, "source_weight", "adaptation"),
                        bool(adaptation, "frozen", "adaptation")),
                result(object(root, "result"), segmentation, "result"),
                source == null || source.isNull() ? null : result(source, segmentation, "source_result"),
                timings == null || !timings.isObject()
                        ? new Prediction.Timings(Double.NaN, Double.NaN, Double.NaN)
                        : new Prediction.Timings(number(timings, "decode", "timings_ms"),
                        number(timings, "preprocess", "timings_ms"), number(timings, "inference", "timings_ms")));
    }

    private static Result result(JsonNode node, boolean segmentation, String where) {
        if (!node.isObject()) {
            throw new PredictionFormatException("'" + where + "' must be an object");
        }
        int width = dimension(node, "width", where);
        int height = dimension(node, "height", where);
        return segmentation ? segmentation(node, width, height, where) : detections(node, width, height, where);
    }

    private static Result.Segmentation segmentation(JsonNode node, int width, int height, String where) {
        JsonNode classNode = node.get("classes");
        if (classNode == null || !classNode.isArray() || classNode.isEmpty()) {
            throw new PredictionFormatException("'" + where + ".classes' must be a list of class names");
        }
        List<String> classes = new ArrayList<>(classNode.size());
        for (JsonNode c : classNode) {
            if (!c.isTextual()) {
                throw new PredictionFormatException("'" + where + ".classes' must hold names");
            }
            classes.add(c.asText());
        }
        JsonNode rle = object(node, "rle", where);
        Map<String, RunLengthMask> masks = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = rle.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            String name = e.getKey();
            if (classes.indexOf(name) < 1) {
                throw new PredictionFormatException("'" + where + ".rle' names '" + name
                        + "', which is not a foreground class of " + classes);
            }
            masks.put(name, mask(e.getValue(), width, height, where + ".rle." + name));
        }
        return new Result.Segmentation(width, height, classes, masks);
    }

    private static RunLengthMask mask(JsonNode node, int width, int height, String where) {
        JsonNode size = node.get("size");
        if (size == null || !size.isArray() || size.size() != 2 || size.get(0).asLong() != height
                || size.get(1).asLong() != width) {
            throw new PredictionFormatException("'" + where + ".size' must be [" + height + ", " + width + "]");
        }
        JsonNode counts = node.get("counts");
        if (counts == null || !counts.isArray() || counts.size() > (long) width * height + 1) {
            throw new PredictionFormatException("'" + where + ".counts' must be a list of at most h*w + 1 runs");
        }
        int[] runs = new int[counts.size()];
        for (int i = 0; i < runs.length; i++) {
            JsonNode c = counts.get(i);
            if (!c.isIntegralNumber() || !c.canConvertToInt()) {
                throw new PredictionFormatException("'" + where + ".counts' has a run that is not a whole number");
            }
            runs[i] = c.intValue();
        }
        try {
            return new RunLengthMask(height, width, runs);
        } catch (IllegalArgumentException e) {
            throw new PredictionFormatException("'" + where + "': " + e.getMessage());
        }
    }

    private static Result.Detections detections(JsonNode node, int width, int height, String where) {
        JsonNode list = node.get("detections");
        if (list == null || !list.isArray() || list.size() > MAX_DETECTIONS) {
            throw new PredictionFormatException("'" + where + ".detections' must be a list of at most "
                    + MAX_DETECTIONS + " boxes");
        }
        List<Result.DetectedBox> boxes = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            JsonNode d = list.get(i);
            String at = where + ".detections[" + i + "]";
            if (!d.isObject()) {
                throw new PredictionFormatException("'" + at + "' must be an object");
            }
            JsonNode box = d.get("box");
            if (box == null || !box.isArray() || box.size() != 4) {
                throw new PredictionFormatException("'" + at + ".box' must be [x0, y0, x1, y1]");
            }
            double[] v = new double[4];
            for (int k = 0; k < 4; k++) {
                v[k] = box.get(k).isNumber() ? box.get(k).asDouble() : Double.NaN;
                if (!Double.isFinite(v[k])) {
                    throw new PredictionFormatException("'" + at + ".box' must hold four finite numbers");
                }
            }
            long classId = count(d, "class_id", at);
            double score = number(d, "score", at);
            if (!(score >= 0 && score <= 1)) {
                throw new PredictionFormatException("'" + at + ".score' must be in [0, 1], got " + score);
            }
            boxes.add(new Result.DetectedBox(text(d, "class", at), (int) Math.min(classId, Integer.MAX_VALUE), score,
                    v[0], v[1], v[2], v[3]));
        }
        return new Result.Detections(width, height, boxes);
    }

    private static JsonNode object(JsonNode parent, String field) {
        return object(parent, field, null);
    }

    private static JsonNode object(JsonNode parent, String field, String where) {
        JsonNode v = parent.get(field);
        if (v == null || !v.isObject()) {
            throw new PredictionFormatException("'" + path(where, field) + "' must be an object");
        }
        return v;
    }

    private static String text(JsonNode parent, String field) {
        return text(parent, field, null);
    }

    private static String text(JsonNode parent, String field, String where) {
        JsonNode v = parent.get(field);
        if (v == null || !v.isTextual()) {
            throw new PredictionFormatException("'" + path(where, field) + "' must be a string");
        }
        return v.asText();
    }

    private static long count(JsonNode parent, String field, String where) {
        JsonNode v = parent.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
            throw new PredictionFormatException("'" + path(where, field) + "' must be a whole number >= 0");
        }
        return v.asLong();
    }

    /** A number, or NaN where the service wrote null (a value it could not compute). */
    private static double number(JsonNode parent, String field, String where) {
        JsonNode v = parent.get(field);
        if (v != null && v.isNull()) {
            return Double.NaN;
        }
        if (v == null || !v.isNumber()) {
            throw new PredictionFormatException("'" + path(where, field) + "' must be a number or null");
        }
        return v.asDouble();
    }

    private static boolean bool(JsonNode parent, String field, String where) {
        JsonNode v = parent.get(field);
        if (v == null || !v.isBoolean()) {
            throw new PredictionFormatException("'" + path(where, field) + "' must be true or false");
        }
        return v.asBoolean();
    }

    private static int dimension(JsonNode node, String field, String where) {
        JsonNode v = node.get(field);
        if (v == null || !v.isIntegralNumber() || v.asLong() < 1 || v.asLong() > MAX_DIMENSION) {
            throw new PredictionFormatException("'" + where + "." + field + "' must be a whole number of pixels, 1.."
                    + MAX_DIMENSION);
        }
        return v.asInt();
    }

    private static String path(String where, String field) {
        return where == null ? field : where + "." + field;
    }
}
