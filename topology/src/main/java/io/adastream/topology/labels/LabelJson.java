package io.adastream.topology.labels;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.adastream.models.task.Rle;
import io.adastream.models.task.RunLengthEncoding;

import java.util.List;
import java.util.Map;

/** Writes label values for the labels topic (what producers of ground truth send; the demo is one). */
public final class LabelJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private LabelJson() {
    }

    /** A segmentation label: the frame id and its class mask (row-major, background 0) as COCO RLE per class name. */
    public static byte[] segmentation(String frameId, byte[] mask, int width, int height, List<String> classes) {
        ObjectNode root = JSON.createObjectNode().put("frame_id", frameId);
        ObjectNode truth = root.putObject("truth").put("width", width).put("height", height);
        ObjectNode rle = truth.putObject("rle");
        for (Map.Entry<Integer, Rle> e : RunLengthEncoding.encodeAll(mask, width, height).entrySet()) {
            if (e.getKey() == 0) {
                continue;
            }
            ObjectNode entry = rle.putObject(classes.get(e.getKey()));
            entry.putArray("size").add(height).add(width);
            ArrayNode counts = entry.putArray("counts");
            for (int c : e.getValue().counts()) {
                counts.add(c);
            }
        }
        try {
            return JSON.writeValueAsBytes(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
