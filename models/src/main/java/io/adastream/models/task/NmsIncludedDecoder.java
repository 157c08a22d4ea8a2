package io.adastream.models.task;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the outputs of models with NMS inside: either one tensor [N, D, 6] of rows (x1, y1, x2, y2, score, class)
 * or three tensors, boxes [N, D, 4], scores [N, D] and class indices [N, D] (float). Rows under the score threshold
 * (the zero padding of unused rows among them) are dropped; no further NMS, at most the spec's detection cap, by
 * decreasing score. Class id = class index + the spec's offset; rows whose class id falls outside 1..K are dropped.
 */
public final class NmsIncludedDecoder implements DetectionDecoder {
    private final String packedName;
    private final String boxesName;
    private final String scoresName;
    private final String classesName;
    private final int classes;
    private final int classOffset;
    private final BoxCoding boxes;
    private final DetectionThresholds thresholds;

    private NmsIncludedDecoder(String packedName, String boxesName, String scoresName, String classesName, int classes,
                               int classOffset, BoxCoding boxes, DetectionThresholds thresholds) {
        this.packedName = packedName;
        this.boxesName = boxesName;
        this.scoresName = scoresName;
        this.classesName = classesName;
        this.classes = classes;
        this.classOffset = classOffset;
        this.boxes = boxes;
        this.thresholds = thresholds;
    }

    /** One tensor [N, D, 6]. */
    public static NmsIncludedDecoder packed(String name, int classes, int classOffset, BoxCoding boxes,
                                            DetectionThresholds thresholds) {
        return new NmsIncludedDecoder(name, null, null, null, classes, classOffset, boxes, thresholds);
    }

    /** Three tensors: boxes [N, D, 4], scores [N, D], class indices [N, D]. */
    public static NmsIncludedDecoder split(String boxes, String scores, String classIds, int classes, int classOffset,
                                           BoxCoding boxCoding, DetectionThresholds thresholds) {
        return new NmsIncludedDecoder(null, boxes, scores, classIds, classes, classOffset, boxCoding, thresholds);
    }

    @Override
    public List<Detection> decode(ModelOutputs outputs, int index, LetterboxTransform transform) {
        FloatBuffer b;
        FloatBuffer s;
        FloatBuffer c;
        int rows;
        int boxAt;
        int boxStep;
        int scoreAt;
        int scoreStep;
        int classAt;
        if (packedName != null) {
            long[] shape = outputs.shape(packedName);
            if (shape.length != 3 || shape[2] != 6) {
                throw new IllegalArgumentException("nms-included output must be [N, D, 6], got " + ModelOutputs.describe(shape));
            }
            rows = (int) shape[1];
            b = s = c = outputs.tensor(packedName);
            boxAt = index * rows * 6;
            boxStep = 6;
            scoreAt = boxAt + 4;
            scoreStep = 6;
            classAt = boxAt + 5;
            checkRoom(b, boxAt + rows * 6L, index);
        } else {
            long[] boxShape = outputs.shape(boxesName);
            long[] scoreShape = outputs.shape(scoresName);
            long[] classShape = outputs.shape(classesName);
            if (boxShape.length != 3 || boxShape[2] != 4 || !rowsOf(scoreShape, boxShape[1])
                    || !rowsOf(classShape, boxShape[1])) {
                throw new IllegalArgumentException("nms-included outputs must be boxes [N, D, 4], scores [N, D] and "
                        + "classes [N, D], got " + ModelOutputs.describe(boxShape) + ", " + ModelOutputs.describe(scoreShape)
                        + ", " + ModelOutputs.describe(classShape));
            }
            rows = (int) boxShape[1];
            b = outputs.tensor(boxesName);
            s = outputs.tensor(scoresName);
            c = outputs.tensor(classesName);
            boxAt = index * rows * 4;
            boxStep = 4;
            scoreAt = index * rows;
            scoreStep = 1;
            classAt = scoreAt;
            checkRoom(b, boxAt + rows * 4L, index);
            checkRoom(s, scoreAt + (long) rows, index);
            checkRoom(c, classAt + (long) rows, index);
        }
        List<Detection> kept = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            float score = s.get(scoreAt + r * scoreStep);
            if (!(score >= thresholds.score())) {
                continue;
            }
            float classIndex = c.get(classAt + r * scoreStep);
            long id = Math.round(classIndex) + (long) classOffset;
            if (id < 1 || id > classes) {
                continue;
            }
            int at = boxAt + r * boxStep;
            Box inInput = boxes.toInput(b.get(at), b.get(at + 1), b.get(at + 2), b.get(at + 3),
                    transform.targetWidth(), transform.targetHeight());
            kept.add(new Detection((int) id, score, transform.toSource(inInput)));
        }
        kept.sort((x, y) -> Float.compare(y.score(), x.score()));
        return kept.size() > thresholds.maxDetections() ? new ArrayList<>(kept.subList(0, thresholds.maxDetections())) : kept;
    }

    private static boolean rowsOf(long[] shape, long rows) {
        return (shape.length == 2 && shape[1] == rows) || (shape.length == 3 && shape[1] == rows && shape[2] == 1);
    }

    private static void checkRoom(FloatBuffer buffer, long end, int index) {
        if (end > buffer.limit()) {
            throw new IllegalArgumentException("outputs too small for item " + index);
        }
    }
}
