package io.adastream.models.task;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the outputs of models with NMS inside: either one tensor [N, D, 6] of rows (x1, y1, x2, y2, score, class)
 * or three tensors, boxes [N, D, 4], scores [N, D] and class indices [N, D] (int64, int32 or float), with an optional
 * fourth, the count of valid rows [N] or [N, 1] (int64, int32 or float), rows past which are ignored. Rows under the
 * score threshold (the zero padding of unused rows among them) are dropped; no further NMS, at most the spec's
 * detection cap, by decreasing score. Class id = class index + the spec's offset; rows whose class id falls outside
 * 1..K are dropped. Reuses its readers: one per thread.
 */
public final class NmsIncludedDecoder implements DetectionDecoder {
    private final String packedName;
    private final String boxesName;
    private final String scoresName;
    private final String classesName;
    private final String countName;
    private final NumericTensor classReader = new NumericTensor();
    private final NumericTensor countReader = new NumericTensor();
    private final int classes;
    private final int classOffset;
    private final BoxCoding boxes;
    private final DetectionThresholds thresholds;

    private NmsIncludedDecoder(String packedName, String boxesName, String scoresName, String classesName,
                               String countName, int classes, int classOffset, BoxCoding boxes,
                               DetectionThresholds thresholds) {
        this.packedName = packedName;
        this.boxesName = boxesName;
        this.scoresName = scoresName;
        this.classesName = classesName;
        this.countName = countName;
        this.classes = classes;
        this.classOffset = classOffset;
        this.boxes = boxes;
        this.thresholds = thresholds;
    }

    /** One tensor [N, D, 6]. */
    public static NmsIncludedDecoder packed(String name, int classes, int classOffset, BoxCoding boxes,
                                            DetectionThresholds thresholds) {
        return new NmsIncludedDecoder(name, null, null, null, null, classes, classOffset, boxes, thresholds);
    }

    /** Three tensors: boxes [N, D, 4], scores [N, D], class indices [N, D]. */
    public static NmsIncludedDecoder split(String boxes, String scores, String classIds, int classes, int classOffset,
                                           BoxCoding boxCoding, DetectionThresholds thresholds) {
        return split(boxes, scores, classIds, null, classes, classOffset, boxCoding, thresholds);
    }

    /** Three tensors and, unless {@code count} is null, the count of valid rows [N] or [N, 1]. */
    public static NmsIncludedDecoder split(String boxes, String scores, String classIds, String count, int classes,
                                           int classOffset, BoxCoding boxCoding, DetectionThresholds thresholds) {
        return new NmsIncludedDecoder(null, boxes, scores, classIds, count, classes, classOffset, boxCoding, thresholds);
    }

    @Override
    public List<Detection> decode(ModelOutputs outputs, int index, LetterboxTransform transform) {
        FloatBuffer b;
        FloatBuffer s;
        NumericTensor c;
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
            b = s = outputs.tensor(packedName);
            c = classReader.bind(outputs, packedName);
            boxAt = index * rows * 6;
            boxStep = 6;
            scoreAt = boxAt + 4;
            scoreStep = 6;
            classAt = boxAt + 5;
            checkRoom(b.limit(), boxAt + rows * 6L, index);
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
            c = classReader.bind(outputs, classesName);
            boxAt = index * rows * 4;
            boxStep = 4;
            scoreAt = index * rows;
            scoreStep = 1;
            classAt = scoreAt;
            checkRoom(b.limit(), boxAt + rows * 4L, index);
            checkRoom(s.limit(), scoreAt + (long) rows, index);
            checkRoom(c.limit(), classAt + (long) rows, index);
            if (countName != null) {
                rows = validRows(outputs, index, rows);
            }
        }
        List<Detection> kept = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            float score = s.get(scoreAt + r * scoreStep);
            if (!(score >= thresholds.score())) {
                continue;
            }
            long classIndex = c.whole(classAt + r * scoreStep);
            long id = classIndex + classOffset;
            if (classIndex == Long.MIN_VALUE || id < 1 || id > classes) {
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

    /** The count tensor's value for item {@code index}, refused unless it is 0..rows. */
    private int validRows(ModelOutputs outputs, int index, int rows) {
        long[] shape = outputs.shape(countName);
        if (!(shape.length == 1 || (shape.length == 2 && shape[1] == 1))) {
            throw new IllegalArgumentException("nms-included count must be [N] or [N, 1], got " + ModelOutputs.describe(shape));
        }
        NumericTensor n = countReader.bind(outputs, countName);
        checkRoom(n.limit(), index + 1L, index);
        long count = n.whole(index);
        if (count < 0 || count > rows) {
            throw new IllegalArgumentException("nms-included count " + (count == Long.MIN_VALUE ? "NaN" : count)
                    + " outside 0.." + rows + " for item " + index);
        }
        return (int) count;
    }

    private static void checkRoom(int limit, long end, int index) {
        if (end > limit) {
            throw new IllegalArgumentException("outputs too small for item " + index);
        }
    }
}
