package io.adastream.trainer.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.training.loss.Loss;

/**
 * Loss of the grid detector against {@link io.adastream.trainer.data.DetectionTargets}, normalized by the number
 * of assigned cells: objectness binary cross-entropy on every cell (unassigned cells weighted
 * {@code negativeWeight}), and on assigned cells only binary cross-entropy of sigmoid(tx, ty) against the centre
 * offsets, squared error of (tw, th) against log(size / stride), and softmax cross-entropy of the class logits.
 */
public final class GridDetectionLoss extends Loss {
    private final float negativeWeight;

    public GridDetectionLoss(float negativeWeight) {
        super("grid_detection");
        this.negativeWeight = negativeWeight;
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray out = predictions.singletonOrThrow();
        NDArray target = labels.singletonOrThrow();
        NDArray positive = target.get(":, 0:1");
        NDArray assigned = positive.sum().maximum(1f);
        NDArray objectWeights = positive.mul(1f - negativeWeight).add(negativeWeight);
        NDArray objectness = logisticLoss(out.get(":, 0:1"), positive).mul(objectWeights).sum();
        NDArray centre = logisticLoss(out.get(":, 1:3"), target.get(":, 1:3")).mul(positive).sum();
        NDArray size = out.get(":, 3:5").sub(target.get(":, 3:5")).square().mul(positive).sum();
        NDArray classes = out.get(":, 5:").logSoftmax(1).mul(target.get(":, 5:")).sum().neg();
        return objectness.add(centre).add(size).add(classes).div(assigned);
    }

    /** Binary cross-entropy of logits x against (possibly soft) targets z, computed stably, element-wise. */
    static NDArray logisticLoss(NDArray x, NDArray z) {
        return Activation.relu(x).sub(x.mul(z)).add(x.abs().neg().exp().add(1f).log());
    }
}
