package io.adastream.topology.labels;

import com.fasterxml.jackson.databind.JsonNode;
import io.adastream.models.task.Box;
import io.adastream.models.task.Detection;
import io.adastream.models.task.Rle;
import io.adastream.models.task.TaskResult;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads a result object in the format of a prediction's {@code result} (README "Topics and record formats") back
 * into a {@link TaskResult}: a segmentation's COCO RLE per class name, or a detection list with {@code class} (name)
 * or {@code class_id} and {@code box}. Labels use the same format for their ground truth. Every field is checked;
 * anything malformed is an {@link IllegalArgumentException} saying what.
 */
public final class ResultJson {

    /** The largest number of boxes one result may list (COCO evaluates at most 100 detections per image). */
    public static final int MAX_DETECTIONS = 1_000;

    private final boolean segmentation;
    private final List<String> classes;
    private final long maxPixels;

    /**
     * @param segmentation whether results are segmentations (else detections)
     * @param classes      the model's class names, background first
     * @param maxPixels    the largest width × height accepted
     */
    public ResultJson(boolean segmentation, List<String> classes, long maxPixels) {
        this.segmentation = segmentation;
        this.classes = List.copyOf(classes);
        this.maxPixels = maxPixels;
    }

    public TaskResult read(JsonNode result) {
        if (result == null || !result.isObject()) {
            throw new IllegalArgumentException("the result must be a JSON object");
        }
        int width = dimension(result, "width");
        int height = dimension(result, "height");
        if ((long) width * height > maxPixels) {
            throw new IllegalArgumentException(width + "x" + height + " is over the limit of " + maxPixels + " pixels");
        }
        return segmentation ? segmentation(result, width, height) : detections(result, width, height);
    }

    private TaskResult.Segmentation segmentation(JsonNode result, int width, int height) {
        JsonNode rle = result.get("rle");
        if (rle == null || !rle.isObject()) {
            throw new IllegalArgumentException("a segmentation needs 'rle': an object of COCO RLEs by class name");
        }
        byte[] mask = new byte[width * height];
        var fields = rle.fields();
        while (fields.hasNext()) {
            var e = fields.next();
            int classId = classes.indexOf(e.getKey());
            if (classId < 0) {
                throw new IllegalArgumentException("unknown class '" + e.getKey() + "' (the model's classes: " + classes + ")");
            }
            paint(mask, rle(e.getValue(), e.getKey(), width, height), classId);
        }
        return new TaskResult.Segmentation(width, height, mask);
    }

    /**
     * Sets the pixels of a COCO RLE (column-major runs, zeros first) to {@code classId} in the row-major mask, with
     * the checks of {@code RunLengthEncoding.decode}: no negative run, runs covering h·w exactly.
     */
    private static void paint(byte[] mask, Rle rle, int classId) {
        int w = rle.width();
        int h = rle.height();
        long total = (long) w * h;
        long position = 0;
        int[] counts = rle.counts();
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] < 0 || position + counts[i] > total) {
                throw new IllegalArgumentException("RLE runs must be non-negative and cover " + h + "x" + w + " pixels");
            }
            if ((i & 1) == 1) {
                for (long p = position; p < position + counts[i]; p++) {
                    mask[(int) (p % h) * w + (int) (p / h)] = (byte) classId;
                }
            }
            position += counts[i];
        }
        if (position != total) {
            throw new IllegalArgumentException("RLE runs cover " + position + " of " + total + " pixels");
        }
    }

    private static Rle rle(JsonNode node, String name, int width, int height) {
        JsonNode size = node.get("size");
        if (size == null || !size.isArray() || size.size() != 2 || size.get(0).asInt() != height
                || size.get(1).asInt() != width) {
            throw new IllegalArgumentException("the RLE of '" + name + "' needs \"size\": [" + height + ", " + width + "]");
        }
        JsonNode counts = node.get("counts");
        if (counts == null || !counts.isArray() || counts.size() > (long) width * height + 1) {
            throw new IllegalArgumentException("the RLE of '" + name + "' needs 'counts': at most h*w + 1 run lengths");
        }
        int[] runs = new int[counts.size()];
        for (int i = 0; i < runs.length; i++) {
            JsonNode c = counts.get(i);
            if (!c.canConvertToInt() || !c.isIntegralNumber()) {
                throw new IllegalArgumentException("the RLE of '" + name + "' has a run that is not a whole number");
            }
            runs[i] = c.intValue();
        }
        return new Rle(height, width, runs);
    }

    private TaskResult.Detections detections(JsonNode result, int width, int height) {
        JsonNode list = result.get("detections");
        if (list == null || !list.isArray() || list.size() > MAX_DETECTIONS) {
            throw new IllegalArgumentException("a detection result needs 'detections': a list of at most "
                    + MAX_DETECTIONS + " boxes");
        }
        List<Detection> out = new ArrayList<>(list.size());
        for (JsonNode d : list) {
            int classId = classId(d);
            double score = d.has("score") ? d.get("score").asDouble(Double.NaN) : 1.0;
            JsonNode box = d.get("box");
            if (box == null || !box.isArray() || box.size() != 4) {
                throw new IllegalArgumentException("every detection needs 'box': [x0, y0, x1, y1]");
            }
            float[] v = new float[4];
            for (int i = 0; i < 4; i++) {
                v[i] = box.get(i).isNumber() ? (float) box.get(i).asDouble() : Float.NaN;
                if (!Float.isFinite(v[i])) {
                    throw new IllegalArgumentException("box coordinates must be finite numbers");
                }
            }
            if (v[2] < v[0] || v[3] < v[1]) {
                throw new IllegalArgumentException("a box needs x0 <= x1 and y0 <= y1");
            }
            if (!(score >= 0 && score <= 1)) {
                throw new IllegalArgumentException("a detection's score must be in 0..1");
            }
            out.add(new Detection(classId, (float) score, new Box(v[0], v[1], v[2], v[3])));
        }
        return new TaskResult.Detections(width, height, out);
    }

    private int classId(JsonNode d) {
        if (d.hasNonNull("class_id")) {
            JsonNode v = d.get("class_id");
            int id = v.isIntegralNumber() && v.canConvertToInt() ? v.intValue() : -1;
            if (id < 1 || id >= classes.size()) {
                throw new IllegalArgumentException("class_id must be 1.." + (classes.size() - 1));
            }
            return id;
        }
        String name = d.path("class").asText("");
        int id = classes.indexOf(name);
        if (id < 1) {
            throw new IllegalArgumentException("unknown class '" + name + "' (the model's classes: " + classes.subList(1, classes.size()) + ")");
        }
        return id;
    }

    private static int dimension(JsonNode result, String field) {
        JsonNode v = result.get(field);
        if (v == null || !v.isIntegralNumber() || v.asLong() < 1 || v.asLong() > 65_535) {
            throw new IllegalArgumentException("'" + field + "' must be a whole number of pixels, 1..65535");
        }
        return v.asInt();
    }
}
