package io.adastream.models.task;

import io.adastream.models.spec.ModelSpec;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes a grid detector's output [N, 5 + K, Gh, Gw], one box per grid cell. For cell (gy, gx) with strides
 * sx = inputWidth / Gw and sy = inputHeight / Gh, channel 0 is the objectness, 1-2 the centre offsets, 3-4 the
 * size and 5 .. 5+K-1 the K foreground classes (class ids 1..K); {@link ModelSpec.Grid} says how each is read:
 * <ul>
 *   <li>the demo detector ({@link ModelSpec.Grid#DEMO}): objectness logit, {@code cx = (gx + sigmoid(tx)) * sx},
 *       {@code w = exp(tw) * sx}, class logits with a softmax over K;</li>
 *   <li>FastestDet ({@link ModelSpec.Grid#FASTESTDET}): objectness and class probabilities as they are,
 *       {@code cx = (gx + tanh(tx)) * sx}, {@code w = sigmoid(tw) * inputWidth}.</li>
 * </ul>
 * Score = objectness probability x the best class probability. Cells under the score threshold are dropped, the rest
 * go through per-class NMS, and boxes are mapped through the letterbox back to frame pixels.
 */
public final class GridDetectionDecoder implements DetectionDecoder {
    private final String outputName;
    private final int classes;
    private final int inputWidth;
    private final int inputHeight;
    private final DetectionThresholds thresholds;
    private final boolean objectnessLogit;
    private final ScoreActivation classActivation;
    private final boolean tanhCentre;
    private final boolean sigmoidSize;
    /** Score <= objectness, so a cell whose objectness alone is under this is skipped early. */
    private final float objectnessFloor;

    /** The demo detector's form. */
    public GridDetectionDecoder(int classes, int inputWidth, int inputHeight, float scoreThreshold,
                                float iouThreshold, int maxDetections) {
        this(null, classes, inputWidth, inputHeight, ModelSpec.Grid.DEMO,
                new DetectionThresholds(checkOpen(scoreThreshold), iouThreshold, maxDetections));
    }

    /** @param form how the cell terms are read (complete: no null fields) */
    public GridDetectionDecoder(String outputName, int classes, int inputWidth, int inputHeight, ModelSpec.Grid form,
                                DetectionThresholds thresholds) {
        if (classes < 1 || inputWidth <= 0 || inputHeight <= 0) {
            throw new IllegalArgumentException("bad decoder configuration");
        }
        this.outputName = outputName;
        this.classes = classes;
        this.inputWidth = inputWidth;
        this.inputHeight = inputHeight;
        this.thresholds = thresholds;
        this.objectnessLogit = form.objectness().equals("sigmoid");
        this.classActivation = ScoreActivation.byName(form.classes());
        this.tanhCentre = form.centre().equals("tanh");
        this.sigmoidSize = form.size().equals("sigmoid");
        float t = thresholds.score();
        this.objectnessFloor = objectnessLogit ? (float) Math.log(t / (1 - t)) : t;
    }

    /** Channels per cell: 5 + K. */
    public int channels() {
        return 5 + classes;
    }

    @Override
    public List<Detection> decode(ModelOutputs outputs, int index, LetterboxTransform transform) {
        long[] shape = outputs.shape(outputName);
        if (shape.length != 4 || shape[1] != channels()) {
            throw new IllegalArgumentException("grid detection output must be [N, " + channels() + ", Gh, Gw], got "
                    + ModelOutputs.describe(shape));
        }
        return decode(outputs.tensor(outputName), index, (int) shape[2], (int) shape[3], transform);
    }

    /**
     * Detections of batch item {@code index} of an output of shape [N, 5 + K, gridHeight, gridWidth], in frame
     * pixels via {@code transform}.
     */
    public List<Detection> decode(FloatBuffer output, int index, int gridHeight, int gridWidth,
                                  LetterboxTransform transform) {
        int cells = gridHeight * gridWidth;
        int base = index * channels() * cells;
        if (base < 0 || base + (long) channels() * cells > output.limit()) {
            throw new IllegalArgumentException("output too small for item " + index + " of [N, " + channels()
                    + ", " + gridHeight + ", " + gridWidth + "]");
        }
        float strideX = (float) inputWidth / gridWidth;
        float strideY = (float) inputHeight / gridHeight;
        List<Detection> candidates = new ArrayList<>();
        for (int gy = 0; gy < gridHeight; gy++) {
            for (int gx = 0; gx < gridWidth; gx++) {
                int cell = gy * gridWidth + gx;
                float objectness = output.get(base + cell);
                if (!(objectness >= objectnessFloor)) {
                    continue;
                }
                float objectProbability = objectnessLogit ? ScoreActivation.sigmoid(objectness) : objectness;
                int classOffset = base + 5 * cells + cell;
                float score;
                int best;
                if (classActivation == ScoreActivation.SOFTMAX) {
                    float maxLogit = Float.NEGATIVE_INFINITY;
                    best = 0;
                    for (int k = 0; k < classes; k++) {
                        float v = output.get(classOffset + k * cells);
                        if (v > maxLogit) {
                            maxLogit = v;
                            best = k;
                        }
                    }
                    double sum = 0;
                    for (int k = 0; k < classes; k++) {
                        sum += Math.exp(output.get(classOffset + k * cells) - maxLogit);
                    }
                    score = (float) (objectProbability / sum);
                } else {
                    long b = classActivation.best(output, classOffset, cells, classes, 0);
                    best = ScoreActivation.index(b);
                    score = objectProbability * ScoreActivation.probability(b);
                }
                if (!(score >= thresholds.score())) {
                    continue;
                }
                float tx = output.get(base + cells + cell);
                float ty = output.get(base + 2 * cells + cell);
                float tw = output.get(base + 3 * cells + cell);
                float th = output.get(base + 4 * cells + cell);
                float cx = (gx + (tanhCentre ? (float) Math.tanh(tx) : ScoreActivation.sigmoid(tx))) * strideX;
                float cy = (gy + (tanhCentre ? (float) Math.tanh(ty) : ScoreActivation.sigmoid(ty))) * strideY;
                float w = sigmoidSize ? ScoreActivation.sigmoid(tw) * inputWidth : (float) Math.exp(tw) * strideX;
                float h = sigmoidSize ? ScoreActivation.sigmoid(th) * inputHeight : (float) Math.exp(th) * strideY;
                candidates.add(new Detection(best + 1, score, transform.toSource(Box.centred(cx, cy, w, h))));
            }
        }
        return thresholds.suppress(candidates);
    }

    private static float checkOpen(float scoreThreshold) {
        if (!(scoreThreshold > 0f && scoreThreshold < 1f)) {
            throw new IllegalArgumentException("score threshold must be in (0, 1): " + scoreThreshold);
        }
        return scoreThreshold;
    }
}
