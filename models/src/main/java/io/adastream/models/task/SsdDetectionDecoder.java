package io.adastream.models.task;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes SSD-style outputs, boxes and scores in two tensors: boxes [N, A, 4] (corners or centre and size,
 * normalised or in input pixels, already decoded from the priors; or, given {@link PriorBoxes}, the raw offsets to
 * the A priors) and scores [N, A, C], where C = K (foreground
 * classes only) or C = 1 + K (a background column first, as UltraFace's [1, A, 2]). Each anchor gives at most one
 * candidate, its best foreground class; score = that class's probability (after the spec's activation, a softmax
 * running over all C columns).
 */
public final class SsdDetectionDecoder implements DetectionDecoder {
    private final String boxesName;
    private final String scoresName;
    private final int classes;
    private final BoxCoding boxes;
    private final ScoreActivation activation;
    private final DetectionThresholds thresholds;
    private final PriorBoxes priors;

    /** A decoder of boxes already decoded from the priors. */
    public SsdDetectionDecoder(String boxesName, String scoresName, int classes, BoxCoding boxes,
                               ScoreActivation activation, DetectionThresholds thresholds) {
        this(boxesName, scoresName, classes, boxes, activation, thresholds, null);
    }

    /** A decoder of raw offsets to {@code priors} (null: boxes already decoded, written as {@code boxes} says). */
    public SsdDetectionDecoder(String boxesName, String scoresName, int classes, BoxCoding boxes,
                               ScoreActivation activation, DetectionThresholds thresholds, PriorBoxes priors) {
        if (classes < 1) {
            throw new IllegalArgumentException("a detector needs at least one class");
        }
        this.boxesName = boxesName;
        this.scoresName = scoresName;
        this.classes = classes;
        this.boxes = boxes;
        this.activation = activation;
        this.thresholds = thresholds;
        this.priors = priors;
    }

    @Override
    public List<Detection> decode(ModelOutputs outputs, int index, LetterboxTransform transform) {
        long[] boxShape = outputs.shape(boxesName);
        long[] scoreShape = outputs.shape(scoresName);
        if (boxShape.length != 3 || boxShape[2] != 4 || scoreShape.length != 3 || scoreShape[1] != boxShape[1]
                || (scoreShape[2] != classes && scoreShape[2] != classes + 1)) {
            throw new IllegalArgumentException("ssd outputs must be boxes [N, A, 4] and scores [N, A, " + classes
                    + " or " + (classes + 1) + "] for " + classes + " classes, got " + ModelOutputs.describe(boxShape)
                    + " and " + ModelOutputs.describe(scoreShape));
        }
        int anchors = (int) boxShape[1];
        if (priors != null && anchors != priors.count()) {
            throw new IllegalArgumentException("ssd outputs have " + anchors + " anchors, the spec's priors make "
                    + priors.count());
        }
        int columns = (int) scoreShape[2];
        int background = columns == classes + 1 ? 1 : 0;
        FloatBuffer b = outputs.tensor(boxesName);
        FloatBuffer s = outputs.tensor(scoresName);
        int boxBase = index * anchors * 4;
        int scoreBase = index * anchors * columns;
        if (boxBase < 0 || boxBase + anchors * 4L > b.limit() || scoreBase + (long) anchors * columns > s.limit()) {
            throw new IllegalArgumentException("outputs too small for item " + index);
        }
        List<Detection> candidates = new ArrayList<>();
        for (int a = 0; a < anchors; a++) {
            long best = activation.best(s, scoreBase + a * columns, 1, columns, background);
            float score = ScoreActivation.probability(best);
            if (!(score >= thresholds.score())) {
                continue;
            }
            int at = boxBase + 4 * a;
            Box inInput = priors != null ? priors.decode(a, b.get(at), b.get(at + 1), b.get(at + 2), b.get(at + 3))
                    : boxes.toInput(b.get(at), b.get(at + 1), b.get(at + 2), b.get(at + 3),
                    transform.targetWidth(), transform.targetHeight());
            int column = ScoreActivation.index(best);
            candidates.add(new Detection(column - background + 1, score, transform.toSource(inInput)));
        }
        return thresholds.suppress(candidates);
    }
}
