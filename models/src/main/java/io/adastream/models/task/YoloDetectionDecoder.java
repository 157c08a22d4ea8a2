package io.adastream.models.task;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes the dense outputs of YOLO exports, one candidate box per anchor:
 * <ul>
 *   <li>{@code yolov5} [N, A, 5+K]: per anchor row cx, cy, w, h, objectness, K class scores; score = objectness x best
 *       class score (YOLOv5, YOLOv7);</li>
 *   <li>{@code yolov8} [N, 4+K, A]: per anchor column cx, cy, w, h, K class scores, no objectness; score = best class
 *       score (YOLOv8, YOLO11). The transposed [N, A, 4+K] is read too.</li>
 * </ul>
 * Boxes are centre and size in model-input pixels unless the spec says otherwise; scores are probabilities unless
 * the spec names an activation (of the class scores; the objectness then gets a sigmoid).
 */
public final class YoloDetectionDecoder implements DetectionDecoder {
    private final String outputName;
    private final int classes;
    private final boolean objectness;
    private final BoxCoding boxes;
    private final ScoreActivation activation;
    private final DetectionThresholds thresholds;

    private YoloDetectionDecoder(String outputName, int classes, boolean objectness, BoxCoding boxes,
                                 ScoreActivation activation, DetectionThresholds thresholds) {
        if (classes < 1) {
            throw new IllegalArgumentException("a detector needs at least one class");
        }
        if (activation == ScoreActivation.SOFTMAX && classes < 2) {
            throw new IllegalArgumentException("softmax over one class is always 1");
        }
        this.outputName = outputName;
        this.classes = classes;
        this.objectness = objectness;
        this.boxes = boxes;
        this.activation = activation;
        this.thresholds = thresholds;
    }

    /** The YOLOv5 layout [N, A, 5+K]. */
    public static YoloDetectionDecoder v5(String outputName, int classes, BoxCoding boxes, ScoreActivation activation,
                                          DetectionThresholds thresholds) {
        return new YoloDetectionDecoder(outputName, classes, true, boxes, activation, thresholds);
    }

    /** The YOLOv8 layout [N, 4+K, A]. */
    public static YoloDetectionDecoder v8(String outputName, int classes, BoxCoding boxes, ScoreActivation activation,
                                          DetectionThresholds thresholds) {
        return new YoloDetectionDecoder(outputName, classes, false, boxes, activation, thresholds);
    }

    /** Values per anchor: 5 + K with objectness, else 4 + K. */
    public int valuesPerAnchor() {
        return (objectness ? 5 : 4) + classes;
    }

    @Override
    public List<Detection> decode(ModelOutputs outputs, int index, LetterboxTransform transform) {
        long[] shape = outputs.shape(outputName);
        int per = valuesPerAnchor();
        // yolov5 rows [N, A, per]; yolov8 columns [N, per, A], or rows when exported transposed
        boolean rows = shape.length == 3 && shape[2] == per && (objectness || shape[1] != per);
        boolean columns = !objectness && shape.length == 3 && shape[1] == per && !rows;
        if (!rows && !columns) {
            throw new IllegalArgumentException((objectness ? "yolov5 output must be [N, A, " : "yolov8 output must be [N, ")
                    + per + (objectness ? "]" : ", A]") + " for " + classes + " classes, got " + ModelOutputs.describe(shape));
        }
        int anchors = (int) (rows ? shape[1] : shape[2]);
        FloatBuffer out = outputs.tensor(outputName);
        int base = index * per * anchors;
        if (base < 0 || base + (long) per * anchors > out.limit()) {
            throw new IllegalArgumentException("output too small for item " + index + " of " + ModelOutputs.describe(shape));
        }
        // value v of anchor a sits at base + a * anchorStep + v * valueStep
        int anchorStep = rows ? per : 1;
        int valueStep = rows ? 1 : anchors;
        int classStart = objectness ? 5 : 4;
        List<Detection> candidates = new ArrayList<>();
        for (int a = 0; a < anchors; a++) {
            int at = base + a * anchorStep;
            float objectProbability = 1f;
            if (objectness) {
                float o = out.get(at + 4 * valueStep);
                objectProbability = activation == ScoreActivation.NONE ? o : ScoreActivation.sigmoid(o);
                if (!(objectProbability >= thresholds.score())) {
                    continue;
                }
            }
            long best = activation.best(out, at + classStart * valueStep, valueStep, classes, 0);
            float score = objectProbability * ScoreActivation.probability(best);
            if (!(score >= thresholds.score())) {
                continue;
            }
            Box inInput = boxes.toInput(out.get(at), out.get(at + valueStep), out.get(at + 2 * valueStep),
                    out.get(at + 3 * valueStep), transform.targetWidth(), transform.targetHeight());
            candidates.add(new Detection(ScoreActivation.index(best) + 1, score, transform.toSource(inInput)));
        }
        return thresholds.suppress(candidates);
    }
}
