package io.adastream.client;

import java.nio.charset.StandardCharsets;

/** Prediction records in the service's format, written by hand, and their reading for the tests. */
public final class PredictionRecords {

    private PredictionRecords() {
    }

    /**
     * A 3x2 segmentation: 'road' runs [1, 2, 3] in column-major order cover positions 1 and 2, i.e. pixels
     * (x=0, y=1) and (x=1, y=0); 'car' runs [5, 1] cover position 5, pixel (x=2, y=1).
     */
    public static final String SEGMENTATION = """
            {"frame_id": "f-7", "domain": "cam-1", "model": {"name": "seg", "sha256": "ab12"},
             "task": "segmentation",
             "adaptation": {"policy": "prior-decay", "mode": "fused", "outcome": "folded", "frames": 12,
                            "version": 13, "weight": 0.0345, "shift_score": null, "source_weight": 0.5862,
                            "frozen": false},
             "result": {"width": 3, "height": 2, "classes": ["background", "road", "car"],
                        "rle": {"road": {"size": [2, 3], "counts": [1, 2, 3]},
                                "car": {"size": [2, 3], "counts": [5, 1]}}},
             "source_result": {"width": 3, "height": 2, "classes": ["background", "road", "car"], "rle": {}},
             "timings_ms": {"decode": 0.25, "preprocess": 0.125, "inference": 1.5},
             "a_field_of_a_newer_service": [1, 2]}
            """;

    public static final String DETECTION = """
            {"frame_id": "d-1", "domain": "site-4", "model": {"name": "det", "sha256": "cd34"},
             "task": "detection",
             "adaptation": {"policy": "ema", "mode": "two-pass", "outcome": "held", "frames": 40, "version": 41,
                            "weight": 0.0, "shift_score": 3.25, "source_weight": 0.669, "frozen": true},
             "result": {"width": 100, "height": 200, "detections": [
                 {"class": "ring", "class_id": 2, "score": 0.5, "box": [10, 20, 30, 60]},
                 {"class": "disc", "class_id": 1, "score": 0.9375, "box": [0, 0, 100, 200]}]},
             "timings_ms": {"decode": 1, "preprocess": 2, "inference": 3}}
            """;

    /** Reads a record as a Kafka consumer would. */
    public static Prediction parse(String json) {
        return new PredictionDeserializer().deserialize("adastream.predictions", json.getBytes(StandardCharsets.UTF_8));
    }
}
