package io.adastream.trainer;

import io.adastream.models.synth.SceneClasses;
import io.adastream.trainer.data.InputNormalization;
import io.adastream.trainer.data.SceneSet;
import io.adastream.trainer.onnx.OnnxExport;
import io.adastream.trainer.onnx.OnnxGraphWriter;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The parts of a demo model spec that both models share: input, classes, training provenance. */
final class ModelSpecs {
    private ModelSpecs() {
    }

    /**
     * A spec in the format {@code io.adastream.models.spec.ModelSpec} reads (name, task, model, input, classes,
     * output, detection), plus provenance fields that it ignores (opset, architecture, training, sourceAccuracy).
     */
    static Map<String, Object> spec(String name, String task, String file, Map<String, Object> output,
                                    String architecture, Map<String, Object> training,
                                    Map<String, Object> sourceAccuracy) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("name", name);
        spec.put("task", task);
        spec.put("model", file);
        spec.put("opset", OnnxGraphWriter.OPSET);
        spec.put("input", input());
        spec.put("classes", SceneClasses.NAMES);
        spec.put("output", output);
        spec.put("architecture", architecture);
        spec.put("training", training);
        spec.put("sourceAccuracy", sourceAccuracy);
        return spec;
    }

    private static Map<String, Object> input() {
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("name", OnnxExport.INPUT_NAME);
        input.put("shape", List.of("N", 3, TrainingPlan.INPUT_SIZE, TrainingPlan.INPUT_SIZE));
        input.put("width", TrainingPlan.INPUT_SIZE);
        input.put("height", TrainingPlan.INPUT_SIZE);
        input.put("layout", "NCHW");
        input.put("channels", "RGB");
        input.put("dtype", "float32");
        input.put("resize", "stretch");
        input.put("mean", floats(InputNormalization.MEAN));
        input.put("std", floats(InputNormalization.STD));
        input.put("normalization", "(pixel / 255 - mean[c]) / std[c], channels R, G, B");
        return input;
    }

    static Map<String, Object> training(SceneSet train, TrainingLoop.Settings settings, double seconds) {
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("domain", "clean synthetic scenes (io.adastream.models.synth.SceneGenerator), source domain");
        training.put("scenes", train.size());
        training.put("sceneSeed", TrainingPlan.TRAIN_SEED);
        training.put("epochs", settings.epochs());
        training.put("batchSize", settings.batchSize());
        training.put("optimizer", "Adam, cosine learning rate from " + settings.learningRate());
        training.put("engine", "DJL PyTorch (CPU)");
        training.put("seconds", Math.round(seconds));
        return training;
    }

    private static List<Double> floats(float[] values) {
        return java.util.stream.IntStream.range(0, values.length)
                .mapToObj(i -> Double.parseDouble(Float.toString(values[i]))).toList();
    }
}
