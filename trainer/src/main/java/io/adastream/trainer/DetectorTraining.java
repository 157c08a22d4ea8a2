package io.adastream.trainer;

import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.adastream.models.metrics.DetectionAveragePrecision;
import io.adastream.models.synth.Scene;
import io.adastream.models.synth.SceneClasses;
import io.adastream.trainer.data.DetectionTargets;
import io.adastream.trainer.data.InputNormalization;
import io.adastream.trainer.data.SceneSet;
import io.adastream.trainer.eval.DetectionEvaluation;
import io.adastream.trainer.loss.GridDetectionLoss;
import io.adastream.trainer.nn.DetectorNet;
import io.adastream.trainer.onnx.OnnxExport;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Trains, measures and exports the demo detector ({@link DetectorNet}, output {@value #OUTPUT}). */
public final class DetectorTraining {
    /** Graph output name. */
    public static final String OUTPUT = "detections";
    /** Channels of the stem. */
    public static final int WIDTH = 16;
    /** Objectness loss weight of cells without an object. */
    static final float NEGATIVE_WEIGHT = 0.5f;
    /** Score threshold the spec suggests for published predictions (evaluation uses a lower one for AP). */
    static final double SERVICE_SCORE_THRESHOLD = 0.3;

    private final TrainingLoop loop;

    public DetectorTraining(TrainingLoop loop) {
        this.loop = loop;
    }

    /** Builds the untrained network for the synthetic classes. */
    public static DetectorNet network() {
        return new DetectorNet(SceneClasses.FOREGROUND_COUNT, WIDTH);
    }

    public TrainedModel run(SceneSet train, SceneSet heldOut, SceneSet monitor, TrainingLoop.Settings settings) {
        int classes = SceneClasses.FOREGROUND_COUNT;
        int stride = DetectorNet.STRIDE;
        long start = System.nanoTime();
        try (Model model = Model.newInstance("detector")) {
            DetectorNet net = network();
            model.setBlock(net);
            NDManager manager = model.getNDManager();
            loop.train("detector", model, new GridDetectionLoss(NEGATIVE_WEIGHT), train,
                    new TrainingLoop.BatchEncoder<Scene>() {
                        @Override
                        public NDList data(NDManager m, List<Scene> batch) {
                            return new NDList(InputNormalization.toNdArray(m, batch));
                        }

                        @Override
                        public NDList labels(NDManager m, List<Scene> batch) {
                            return new NDList(DetectionTargets.encode(m, batch, classes, stride));
                        }
                    }, settings, () -> String.format("held-out mAP@0.5 %.3f",
                            DetectionEvaluation.measure(net, manager, monitor, classes, stride, 50).map50()));
            double seconds = (System.nanoTime() - start) / 1e9;
            DetectionAveragePrecision ap = DetectionEvaluation.measure(net, manager, heldOut, classes, stride, 50);
            int grid = TrainingPlan.INPUT_SIZE / stride;
            var onnx = OnnxExport.export(net, "adastream_demo_detector", TrainingPlan.INPUT_SIZE, OUTPUT,
                    new long[]{5 + classes, grid, grid},
                    "AdaStream demo detector: single-stage grid detector trained on clean synthetic scenes");
            return new TrainedModel("detector", onnx, spec(ap, train, heldOut, settings, seconds, grid));
        }
    }

    private static Map<String, Object> spec(DetectionAveragePrecision ap, SceneSet train, SceneSet heldOut,
                                            TrainingLoop.Settings settings, double seconds, int grid) {
        int classes = SceneClasses.FOREGROUND_COUNT;
        Map<String, Object> output = new LinkedHashMap<>();
        output.put("name", OUTPUT);
        output.put("shape", List.of("N", 5 + classes, grid, grid));
        output.put("stride", DetectorNet.STRIDE);
        output.put("format", "[N, " + (5 + classes) + ", " + grid + ", " + grid + "] grid detections; per grid cell (gy, gx), stride s = " + DetectorNet.STRIDE + ": channel 0 objectness"
                + " logit; 1-2 (tx, ty), box centre cx = (gx + sigmoid(tx)) * s, cy = (gy + sigmoid(ty)) * s;"
                + " 3-4 (tw, th), w = exp(tw) * s, h = exp(th) * s; 5.." + (4 + classes) + " logits of the "
                + classes + " foreground classes (class id = index + 1), softmax over them;"
                + " score = sigmoid(objectness) * max class probability");
        Map<String, Object> perClass = new LinkedHashMap<>();
        for (int c = 1; c <= classes; c++) {
            perClass.put(SceneClasses.NAMES.get(c), SegmenterTraining.round(ap.averagePrecision(c, 0.5)));
        }
        Map<String, Object> accuracy = new LinkedHashMap<>();
        accuracy.put("metric", "COCO-style mAP (io.adastream.models.metrics.DetectionAveragePrecision)");
        accuracy.put("mAP50", SegmenterTraining.round(ap.map50()));
        accuracy.put("mAP50_95", SegmenterTraining.round(ap.map50to95()));
        accuracy.put("ap50PerClass", perClass);
        accuracy.put("decoder", "GridDetectionDecoder score threshold 0.05, per-class NMS IoU 0.5");
        accuracy.put("scenes", heldOut.size());
        accuracy.put("sceneSeed", TrainingPlan.HELD_OUT_SEED);
        Map<String, Object> spec = ModelSpecs.spec("adastream-demo-detector", "detection", "detector.onnx", output,
                "single-stage anchor-free grid detector, stride 8, Conv+BatchNorm+ReLU blocks (16/32/64 channels,"
                        + " strided convolutions); 8 BatchNormalization layers; each ground-truth box is assigned to"
                        + " the cell containing its centre",
                ModelSpecs.training(train, settings, seconds), accuracy);
        Map<String, Object> detection = new LinkedHashMap<>();
        detection.put("scoreThreshold", SERVICE_SCORE_THRESHOLD);
        detection.put("iouThreshold", 0.5);
        detection.put("maxDetections", 50);
        spec.put("detection", detection);
        return spec;
    }
}
