package io.adastream.models.task;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes AdaStream's single-stage anchor-free grid detector output, a tensor [N, 5 + K, Gh, Gw]. For grid cell
 * (gy, gx) with strides sx = inputWidth / Gw and sy = inputHeight / Gh:
 * <ul>
 *   <li>channel 0: objectness logit;</li>
 *   <li>channels 1, 2: (tx, ty), box centre {@code cx = (gx + sigmoid(tx)) * sx}, {@code cy = (gy + sigmoid(ty)) * sy};</li>
 *   <li>channels 3, 4: (tw, th), box size {@code w = exp(tw) * sx}, {@code h = exp(th) * sy};</li>
 *   <li>channels 5 .. 5+K-1: logits of the K foreground classes (class ids 1..K), softmax over K.</li>
 * </ul>
 * Score = sigmoid(objectness) x max softmax probability. Cells under the score threshold are dropped, the rest go
 * through per-class NMS, and boxes are mapped through the letterbox back to input-image pixels.
 */
public final class GridDetectionDecoder {
    private final int classes;
    private final int inputWidth;
    private final int inputHeight;
    private final float scoreThreshold;
    private final float iouThreshold;
    private final int maxDetections;
    private final float objectnessLogitFloor;

    public GridDetectionDecoder(int classes, int inputWidth, int inputHeight, float scoreThreshold,
                                float iouThreshold, int maxDetections) {
        if (classes < 1 || inputWidth <= 0 || inputHeight <= 0 || maxDetections < 1) {
            throw new IllegalArgumentException("bad decoder configuration");
        }
        if (!(scoreThreshold > 0f && scoreThreshold < 1f)) {
            throw new IllegalArgumentException("score threshold must be in (0, 1): " + scoreThreshold);
        }
        this.classes = classes;
        this.inputWidth = inputWidth;
        this.inputHeight = inputHeight;
        this.scoreThreshold = scoreThreshold;
        this.iouThreshold = iouThreshold;
        this.maxDetections = maxDetections;
        // score <= sigmoid(obj), so a cell whose objectness alone is under the threshold can be skipped early
        this.objectnessLogitFloor = (float) Math.log(scoreThreshold / (1 - scoreThreshold));
    }

    /** Channels per cell: 5 + K. */
    public int channels() {
        return 5 + classes;
    }

    /**
     * Detections of batch item {@code index} of an output of shape [N, 5 + K, gridHeight, gridWidth], in
     * input-image pixels via {@code transform}.
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
                if (objectness < objectnessLogitFloor) {
                    continue;
                }
                int classOffset = base + 5 * cells + cell;
                float maxLogit = Float.NEGATIVE_INFINITY;
                int best = 0;
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
                float score = (float) (sigmoid(objectness) / sum);
                if (score < scoreThreshold) {
                    continue;
                }
                float cx = (gx + sigmoid(output.get(base + cells + cell))) * strideX;
                float cy = (gy + sigmoid(output.get(base + 2 * cells + cell))) * strideY;
                float w = (float) Math.exp(output.get(base + 3 * cells + cell)) * strideX;
                float h = (float) Math.exp(output.get(base + 4 * cells + cell)) * strideY;
                Box inInput = new Box(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2);
                candidates.add(new Detection(best + 1, score, transform.toSource(inInput)));
            }
        }
        return NonMaxSuppression.perClass(candidates, iouThreshold, maxDetections);
    }

    private static float sigmoid(float x) {
        return (float) (1 / (1 + Math.exp(-x)));
    }
}
