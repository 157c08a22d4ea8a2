package io.adastream.trainer.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;

/**
 * Per-pixel softmax cross-entropy of logits [N, C, H, W] against one-hot targets of the same shape, averaged over
 * pixels. Each pixel is weighted by the weight of its true class (e.g. to keep a dominant background from drowning
 * small objects).
 */
public final class PixelCrossEntropyLoss extends Loss {
    private final float[] classWeights;

    public PixelCrossEntropyLoss(float[] classWeights) {
        super("pixel_ce");
        this.classWeights = classWeights.clone();
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray logits = predictions.singletonOrThrow();
        NDArray target = labels.singletonOrThrow();
        long classes = logits.getShape().get(1);
        if (classes != classWeights.length) {
            throw new IllegalArgumentException(classes + " classes but " + classWeights.length + " weights");
        }
        NDArray weights = logits.getManager().create(classWeights).reshape(1, classes, 1, 1);
        NDArray perPixel = logits.logSoftmax(1).mul(target).mul(weights).sum(new int[]{1}).neg();
        return perPixel.mean();
    }
}
