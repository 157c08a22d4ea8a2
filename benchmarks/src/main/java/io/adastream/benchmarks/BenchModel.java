package io.adastream.benchmarks;

import ai.onnx.proto.OnnxMl.ModelProto;
import io.adastream.adapt.testing.ReferenceNetworks;
import io.adastream.models.spec.BundledModels;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One model of the benchmark table: a short name, its ONNX graph and the shape of one input sample (without N).
 * {@link #table()} lists ResNet-18, the two demo models and, where {@code ../shared} is present, UltraFace and
 * FastestDet calibrated on the first 32 COCO frames (as {@code adastream calibrate} does; cached in the temporary
 * folder, since every table row runs in its own JVM).
 */
public record BenchModel(String name, ModelProto proto, long[] sampleShape) {

    /** The names {@link #byName} knows, in table order. */
    public static final List<String> NAMES =
            List.of("resnet18", "demo-segmenter", "demo-detector", "ultraface-rfb-320", "ultraface-slim-320",
                    "fastestdet-calibrated");

    /** Where the shared data lives: {@code -Dadastream.shared} or {@code ../shared} relative to the project root. */
    static Path sharedData() {
        return Path.of(System.getProperty("adastream.shared", "../shared"), "data");
    }

    /** Every model of the table that is available here; a missing UltraFace file is skipped with a message. */
    public static List<BenchModel> table() throws Exception {
        List<BenchModel> models = new ArrayList<>();
        for (String name : NAMES) {
            BenchModel m = byName(name);
            if (m != null) {
                models.add(m);
            }
        }
        return models;
    }

    /** The model of that name, or null (with a message on stderr) when its file is absent. */
    public static BenchModel byName(String name) throws Exception {
        return switch (name) {
            case "resnet18" -> new BenchModel(name, ReferenceNetworks.resnet18(13), new long[]{3, 224, 224});
            case "demo-segmenter" -> bundled(name, BundledModels.SEGMENTER);
            case "demo-detector" -> bundled(name, BundledModels.DETECTOR);
            case "ultraface-rfb-320" -> shared(name, "ultraface/version-RFB-320.onnx", new long[]{3, 240, 320});
            case "ultraface-slim-320" -> shared(name, "ultraface/version-slim-320.onnx", new long[]{3, 240, 320});
            case "fastestdet-calibrated" -> calibratedFastestDet(name);
            default -> throw new IllegalArgumentException("unknown model '" + name + "' (known: " + NAMES + ")");
        };
    }

    private static BenchModel bundled(String name, String bundledName) throws Exception {
        ModelProto proto = ModelProto.parseFrom(BundledModels.onnx(bundledName));
        long[] sample = GraphVariants.sampleShape(proto);
        return new BenchModel(name, proto, sample);
    }

    /** FastestDet's input as its README gives it: 352x352, BGR, x / 255, area-averaged. */
    static final io.adastream.models.spec.ModelSpec.Input FASTESTDET_INPUT = new io.adastream.models.spec.ModelSpec.Input(
            "input.1", 352, 352, null, null, null, "BGR", "unit", null, null, "area", null, null);

    private static BenchModel calibratedFastestDet(String name) throws Exception {
        Path model = sharedData().resolve("fastestdet/FastestDet.onnx");
        Path coco = sharedData().resolve("coco-val128/images/val2017");
        if (!Files.isRegularFile(model) || !Files.isDirectory(coco)) {
            System.err.println("skipping " + name + ": " + model + " or " + coco + " is absent");
            return null;
        }
        Path cached = Path.of(System.getProperty("java.io.tmpdir"), "adastream-bench-fastestdet-calibrated.onnx");
        if (!Files.isRegularFile(cached)) {
            var frames = io.adastream.models.task.ImageFolderFrames.open(coco, FASTESTDET_INPUT, 0,
                    io.adastream.adapt.calibrate.Calibrator.MIN_FRAMES);
            var result = io.adastream.adapt.calibrate.Calibrator.calibrate(io.adastream.adapt.onnx.OnnxModel.load(model),
                    frames, io.adastream.adapt.calibrate.CalibrationOptions.defaults().withThreads(2));
            Path tmp = Files.createTempFile(cached.getParent(), "fastestdet", ".onnx");
            Files.write(tmp, result.model().toByteArray());
            Files.move(tmp, cached, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return new BenchModel(name, ModelProto.parseFrom(Files.readAllBytes(cached)), new long[]{3, 352, 352});
    }

    private static BenchModel shared(String name, String file, long[] sample) throws IOException {
        Path path = sharedData().resolve(file);
        if (!Files.isRegularFile(path)) {
            System.err.println("skipping " + name + ": " + path + " is absent");
            return null;
        }
        return new BenchModel(name, ModelProto.parseFrom(Files.readAllBytes(path)), sample);
    }
}
