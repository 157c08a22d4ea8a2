package io.adastream.adapt.testing;

import ai.onnx.proto.OnnxMl.ModelProto;
import io.adastream.adapt.onnx.AdaptiveGraphRewriter;
import io.adastream.adapt.onnx.ModelFormatException;
import io.adastream.adapt.onnx.OnnxModel;
import io.adastream.adapt.stats.SourceStatistics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The tiny random-weight segmenter of the tests that need a whole model with its spec: two Conv+BN+ReLU blocks and a
 * 1x1 head to the classes, on square frames, with the model spec JSON that names it (as {@code tiny.onnx}).
 */
public final class TinySegmenter {

    /** What the service tests serve: 16x16 frames, 3 classes, 8 channels, inputs normalized by 0.5 and 0.25. */
    public static final TinySegmenter SERVICE = new TinySegmenter(16, List.of("background", "a", "b"), 8, 77,
            new double[]{0.5, 0.5, 0.5}, new double[]{0.25, 0.25, 0.25});

    private final int size;
    private final List<String> classes;
    private final int hidden;
    private final long seed;
    private final double[] mean;
    private final double[] std;

    public TinySegmenter(int size, List<String> classes, int hidden, long seed, double[] mean, double[] std) {
        this.size = size;
        this.classes = List.copyOf(classes);
        this.hidden = hidden;
        this.seed = seed;
        this.mean = mean.clone();
        this.std = std.clone();
    }

    /** The same network with other random weights (a different model fingerprint). */
    public TinySegmenter withSeed(long otherSeed) {
        return new TinySegmenter(size, classes, hidden, otherSeed, mean, std);
    }

    /** The side of the square input frames. */
    public int size() {
        return size;
    }

    /** The network: [N, 3, size, size] in, [N, classes, size, size] logits out. */
    public ModelProto proto() {
        NetworkBuilder b = new NetworkBuilder(13, seed);
        String x = b.input("image", -1, 3, size, size);
        x = b.relu(b.batchNorm(b.conv(x, 3, hidden, 3, 1, 2), hidden));
        x = b.relu(b.batchNorm(b.conv(x, hidden, hidden, 3, 1, 2), hidden));
        b.output(b.conv(x, hidden, classes.size(), 1, 1, 2));
        return b.build();
    }

    /** The model spec JSON of {@code model} (this network) stored as {@code tiny.onnx}. */
    public String specJson(ModelProto model) {
        return """
                {"name": "tiny-segmenter", "task": "segmentation", "model": "tiny.onnx",
                 "input": {"name": "image", "width": %d, "height": %d, "resize": "stretch",
                           "mean": %s, "std": %s},
                 "classes": [%s],
                 "output": {"name": "%s", "format": "[N, %d, %d, %d] logits"}}
                """.formatted(size, size, json(mean), json(std),
                classes.stream().map(c -> "\"" + c + "\"").collect(Collectors.joining(", ")),
                model.getGraph().getOutput(0).getName(), classes.size(), size, size);
    }

    /** Writes {@code tiny.onnx} and {@code tiny.json} into {@code dir} (created if needed); returns the spec's path. */
    public Path writeTo(Path dir) throws IOException {
        ModelProto model = proto();
        Files.createDirectories(dir);
        Files.write(dir.resolve("tiny.onnx"), model.toByteArray());
        Path spec = dir.resolve("tiny.json");
        Files.writeString(spec, specJson(model), StandardCharsets.UTF_8);
        return spec;
    }

    /** The source statistics (and fingerprint) of this network, as the service computes them. */
    public SourceStatistics sourceStatistics() throws ModelFormatException {
        return SourceStatistics.of(AdaptiveGraphRewriter.rewrite(OnnxModel.of(proto())));
    }

    private static String json(double[] v) {
        return Arrays.stream(v).mapToObj(d -> String.format(Locale.ROOT, "%s", d)).collect(Collectors.joining(", ", "[", "]"));
    }
}
