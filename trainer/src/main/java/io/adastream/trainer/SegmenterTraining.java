package io.adastream.trainer;

import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.adastream.models.metrics.SegmentationConfusion;
import io.adastream.models.synth.Scene;
import io.adastream.models.synth.SceneClasses;
import io.adastream.trainer.data.InputNormalization;
import io.adastream.trainer.data.SceneSet;
import io.adastream.trainer.data.SegmentationTargets;
import io.adastream.trainer.eval.SegmentationEvaluation;
import io.adastream.trainer.loss.PixelCrossEntropyLoss;
import io.adastream.trainer.nn.SegmenterNet;
import io.adastream.trainer.onnx.OnnxExport;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Trains, measures and exports the demo segmenter ({@link SegmenterNet}, output {@value #OUTPUT}). */
public final class SegmenterTraining {
    /** Graph output name. */
    public static final String OUTPUT = "logits";
    /** Channels of the full-resolution level. */
    public static final int WIDTH = 16;
    /** Loss weight of background pixels; foreground pixels weigh 1. */
    static final float BACKGROUND_WEIGHT = 0.5f;

    private final TrainingLoop loop;

    public SegmenterTraining(TrainingLoop loop) {
        this.loop = loop;
    }

    /** Builds the untrained network for the synthetic classes. */
    public static SegmenterNet network() {
        return new SegmenterNet(SceneClasses.NAMES.size(), WIDTH);
    }

    public TrainedModel run(SceneSet train, SceneSet heldOut, SceneSet monitor, TrainingLoop.Settings settings) {
        int classes = SceneClasses.NAMES.size();
        float[] weights = new float[classes];
        java.util.Arrays.fill(weights, 1f);
        weights[0] = BACKGROUND_WEIGHT;
        long start = System.nanoTime();
        try (Model model = Model.newInstance("segmenter")) {
            SegmenterNet net = network();
            model.setBlock(net);
            NDManager manager = model.getNDManager();
            loop.train("segmenter", model, new PixelCrossEntropyLoss(weights), train,
                    new TrainingLoop.BatchEncoder<Scene>() {
                @Override
                public NDList data(NDManager m, List<Scene> batch) {
                    return new NDList(InputNormalization.toNdArray(m, batch));
                }

                @Override
                public NDList labels(NDManager m, List<Scene> batch) {
                    return new NDList(SegmentationTargets.oneHot(m, batch, classes));
                }
            }, settings, () -> String.format("held-out mIoU %.3f",
                    SegmentationEvaluation.measure(net, manager, monitor, classes, 50).meanIoU()));
            double seconds = (System.nanoTime() - start) / 1e9;
            SegmentationConfusion confusion = SegmentationEvaluation.measure(net, manager, heldOut, classes, 50);
            var onnx = OnnxExport.export(net, "adastream_demo_segmenter", TrainingPlan.INPUT_SIZE, OUTPUT,
                    new long[]{classes, TrainingPlan.INPUT_SIZE, TrainingPlan.INPUT_SIZE},
                    "AdaStream demo segmenter: small U-Net trained on clean synthetic scenes");
            return new TrainedModel("segmenter", onnx, spec(confusion, train, heldOut, settings, seconds));
        }
    }

    private static Map<String, Object> spec(SegmentationConfusion confusion, SceneSet train, SceneSet heldOut,
                                            TrainingLoop.Settings settings, double seconds) {
        int classes = SceneClasses.NAMES.size();
        Map<String, Object> output = new LinkedHashMap<>();
        output.put("name", OUTPUT);
        output.put("shape", List.of("N", classes, TrainingPlan.INPUT_SIZE, TrainingPlan.INPUT_SIZE));
        output.put("format", "[N, " + classes + ", " + TrainingPlan.INPUT_SIZE + ", " + TrainingPlan.INPUT_SIZE
                + "] per-pixel class logits; the class of a pixel is the argmax over axis 1 (an index into classes,"
                + " 0 = background)");
        Map<String, Object> perClass = new LinkedHashMap<>();
        for (int c = 0; c < classes; c++) {
            perClass.put(SceneClasses.NAMES.get(c), round(confusion.iou(c)));
        }
        Map<String, Object> accuracy = new LinkedHashMap<>();
        accuracy.put("metric", "mIoU");
        accuracy.put("mIoU", round(confusion.meanIoU()));
        accuracy.put("pixelAccuracy", round(confusion.pixelAccuracy()));
        accuracy.put("iouPerClass", perClass);
        accuracy.put("scenes", heldOut.size());
        accuracy.put("sceneSeed", TrainingPlan.HELD_OUT_SEED);
        return ModelSpecs.spec("adastream-demo-segmenter", "segmentation", "segmenter.onnx", output,
                "U-Net, 3 levels (16/32/64 channels), Conv+BatchNorm+ReLU blocks, max pooling down, nearest Resize up,"
                        + " skip connections by Concat; 10 BatchNormalization layers",
                ModelSpecs.training(train, settings, seconds), accuracy);
    }

    static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }
}
