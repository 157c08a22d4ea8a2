package io.adastream.trainer.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;

/**
 * Per-pixel softmax cross-entropy of logits [N, C, H, W] against one-hot targets of the same shape in which ignored
 * pixels are all zero: each labelled pixel counts with the weight of its true class, ignored pixels not at all, and
 * the sum is divided by the summed weights of the labelled pixels (PyTorch's weighted mean with an ignore index).
 */
public final class MaskedPixelCrossEntropyLoss extends Loss {
    private final float[] classWeights;

    public MaskedPixelCrossEntropyLoss(float[] classWeights) {
        super("masked_pixel_ce");
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
        NDArray weighted = target.mul(logits.getManager().create(classWeights).reshape(1, classes, 1, 1));
        NDArray total = logits.logSoftmax(1).mul(weighted).sum().neg();
        return total.div(weighted.sum().maximum(1e-6f));
    }
}
