package io.adastream.trainer;

import ai.djl.engine.Engine;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.adastream.trainer.data.SceneSet;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Command line: trains the demo segmenter and detector on clean synthetic scenes with DJL's PyTorch engine (CPU),
 * measures them on held-out clean scenes, and writes {@code segmenter.onnx}, {@code segmenter.json},
 * {@code detector.onnx} and {@code detector.json} into the output folder.
 *
 * <pre>
 * TrainDemoModels [--out DIR] [--quick] [--only segmenter|detector]
 * </pre>
 * Run with {@code -Dai.djl.offline=true} (the natives come from the pytorch-native-cpu jar) and a small thread count
 * ({@code -Dai.djl.pytorch.num_threads=2}); see scripts/train-demo-models.sh.
 */
public final class TrainDemoModels {
    /** Where the bundled demo models live in the source tree, relative to the repository root. */
    public static final String DEFAULT_OUT = "models/src/main/resources/io/adastream/models/demo";
    static final long ENGINE_SEED = 42L;

    private TrainDemoModels() {
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(DEFAULT_OUT);
        TrainingPlan plan = TrainingPlan.DEFAULT;
        String only = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out" -> out = Path.of(args[++i]);
                case "--quick" -> plan = TrainingPlan.QUICK;
                case "--only" -> only = args[++i];
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; usage: TrainDemoModels [--out DIR] [--quick] [--only segmenter|detector]");
            }
        }
        run(plan, out, only, System.out);
    }

    /** Trains the models of {@code plan} (all, or only the one named) and writes them to {@code out}. */
    public static List<TrainedModel> run(TrainingPlan plan, Path out, String only, PrintStream log)
            throws IOException {
        long start = System.nanoTime();
        Engine engine = Engine.getInstance();
        engine.setRandomSeed((int) ENGINE_SEED);
        log.printf("engine %s %s, output %s%n", engine.getEngineName(), engine.getVersion(), out.toAbsolutePath());
        SceneSet train = SceneSet.generate(TrainingPlan.TRAIN_SEED, plan.trainScenes(), TrainingPlan.INPUT_SIZE,
                TrainingPlan.INPUT_SIZE);
        SceneSet heldOut = SceneSet.generate(TrainingPlan.HELD_OUT_SEED, plan.heldOutScenes(),
                TrainingPlan.INPUT_SIZE, TrainingPlan.INPUT_SIZE);
        SceneSet monitor = SceneSet.generate(TrainingPlan.HELD_OUT_SEED, plan.monitorScenes(),
                TrainingPlan.INPUT_SIZE, TrainingPlan.INPUT_SIZE);
        log.printf("generated %d training and %d held-out clean scenes in %.1fs%n", train.size(), heldOut.size(),
                seconds(start));
        TrainingLoop loop = new TrainingLoop(log);
        List<TrainedModel> models = new ArrayList<>();
        if (only == null || only.equals("segmenter")) {
            long t = System.nanoTime();
            models.add(write(new SegmenterTraining(loop).run(train, heldOut, monitor, plan.segmenter()), out, log));
            log.printf("segmenter done in %.1fs%n", seconds(t));
        }
        if (only == null || only.equals("detector")) {
            long t = System.nanoTime();
            models.add(write(new DetectorTraining(loop).run(train, heldOut, monitor, plan.detector()), out, log));
            log.printf("detector done in %.1fs%n", seconds(t));
        }
        if (models.isEmpty()) {
            throw new IllegalArgumentException("--only must be segmenter or detector, got " + only);
        }
        log.printf("total time %.1fs%n", seconds(start));
        return models;
    }

    private static TrainedModel write(TrainedModel model, Path out, PrintStream log) throws IOException {
        Files.createDirectories(out);
        Path onnx = out.resolve(model.name() + ".onnx");
        Files.write(onnx, model.onnx().toByteArray());
        Path spec = out.resolve(model.name() + ".json");
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Files.writeString(spec, json.writeValueAsString(model.spec()) + "\n");
        log.printf("wrote %s (%d bytes) and %s; source accuracy %s%n", onnx, Files.size(onnx), spec.getFileName(),
                model.spec().get("sourceAccuracy"));
        return model;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
