package io.adastream.models.task;

import io.adastream.models.calibration.SharedData;
import io.adastream.models.spec.ModelSpec;
import io.adastream.models.spec.ModelSpecException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;

/** The spec of FastestDet ({@code ../shared/data/fastestdet}, its README's pre-processing and output) for the tests. */
public final class FastestDetSpecs {

    private FastestDetSpecs() {
    }

    /** The 80 COCO class names of {@code coco.names}, in order (the test is skipped where the file is absent). */
    public static List<String> classNames() throws IOException {
        return Files.readAllLines(SharedData.require("fastestdet/coco.names")).stream().map(String::strip)
                .filter(l -> !l.isEmpty()).toList();
    }

    /** FastestDet's spec JSON for the model file {@code model}, with "background" before the COCO classes. */
    public static String json(String model, double scoreThreshold, double iouThreshold) throws IOException {
        StringBuilder classes = new StringBuilder("\"background\"");
        classNames().forEach(n -> classes.append(", \"").append(n).append('"'));
        return """
                {"name": "fastestdet", "task": "detection", "model": "%s",
                 "input": {"name": "input.1", "width": 352, "height": 352, "channels": "BGR", "normalize": "unit",
                           "resize": "stretch", "interpolation": "area"},
                 "classes": [%s],
                 "output": {"name": "758", "decoder": "grid",
                            "grid": {"objectness": "none", "classes": "none", "centre": "tanh", "size": "sigmoid"}},
                 "detection": {"scoreThreshold": %s, "iouThreshold": %s, "maxDetections": 100}}
                """.formatted(model, classes, scoreThreshold, iouThreshold);
    }

    /** FastestDet's spec for the model file {@code model} ({@link #json}). */
    public static ModelSpec spec(String model, double scoreThreshold, double iouThreshold)
            throws IOException, ModelSpecException {
        String json = json(model, scoreThreshold, iouThreshold);
        return ModelSpec.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "fastestdet.json");
    }
}
