package io.adastream.models.metrics;

import io.adastream.models.task.Box;
import io.adastream.models.task.Detection;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DetectionAveragePrecisionTest {
    private static final Box UNIT = new Box(0, 0, 10, 10);

    @Test
    void perfectDetectionsScoreOne() {
        DetectionAveragePrecision ap = new DetectionAveragePrecision(2);
        ap.addFrame(List.of(new LabeledBox(1, UNIT), new LabeledBox(2, new Box(20, 20, 30, 40))),
                List.of(new Detection(1, 0.9f, UNIT), new Detection(2, 0.3f, new Box(20, 20, 30, 40))));
        ap.addFrame(List.of(new LabeledBox(1, new Box(5, 5, 8, 9))), List.of(new Detection(1, 0.5f, new Box(5, 5, 8, 9))));
        assertEquals(1.0, ap.map50(), 1e-12);
        assertEquals(1.0, ap.map50to95(), 1e-12);
    }

    @Test
    void handComputedPartialCase() {
        // class 1, two frames with one ground truth each; by score: TP (frame 0), FP (frame 1, wrong place),
        // TP (frame 1). precision 1, 1/2, 2/3; recall 1/2, 1/2, 1. Interpolated precision (max to the right):
        // 1, 2/3, 2/3. Recall points 0.00..0.50 (51 of them) take 1, 0.51..1.00 (50) take 2/3:
        // AP = (51 + 50 * 2/3) / 101 = 0.834983...
        DetectionAveragePrecision ap = new DetectionAveragePrecision(3);
        ap.addFrame(List.of(new LabeledBox(1, UNIT)), List.of(new Detection(1, 0.9f, UNIT)));
        ap.addFrame(List.of(new LabeledBox(1, UNIT), new LabeledBox(2, UNIT)),
                List.of(new Detection(1, 0.8f, new Box(50, 50, 60, 60)), new Detection(1, 0.7f, UNIT)));
        double expected = (51 + 50 * 2.0 / 3) / 101;
        assertEquals(expected, ap.averagePrecision(1, 0.5), 1e-12);
        // class 2 has ground truth but no detection: AP 0; class 3 has no ground truth: excluded
        assertEquals(0.0, ap.averagePrecision(2, 0.5), 1e-12);
        assertTrue(Double.isNaN(ap.averagePrecision(3, 0.5)));
        assertEquals(expected / 2, ap.map50(), 1e-12);
    }

    @Test
    void matchingIsGreedyByScore() {
        // the higher-scoring detection (IoU 0.6) takes the ground truth at IoU 0.5, so the exact box is an FP:
        // precision 1, 1/2 at recall 1, 1 -> AP 1. At IoU 0.75 the first is an FP and the exact box a TP:
        // precision 0, 1/2 at recall 0, 1 -> interpolated 1/2 everywhere -> AP 0.5
        DetectionAveragePrecision ap = new DetectionAveragePrecision(1);
        ap.addFrame(List.of(new LabeledBox(1, UNIT)),
                List.of(new Detection(1, 0.8f, UNIT), new Detection(1, 0.9f, new Box(0, 0, 10, 6))));
        assertEquals(1.0, ap.averagePrecision(1, 0.5), 1e-12);
        assertEquals(0.5, ap.averagePrecision(1, 0.75), 1e-12);
    }

    @Test
    void mapOverIouThresholdsCountsTheThresholdsABoxPasses() {
        // IoU 0.72 passes 0.50, 0.55, 0.60, 0.65, 0.70 and fails 0.75..0.95: mAP@[.5:.95] = 5/10
        DetectionAveragePrecision ap = new DetectionAveragePrecision(1);
        ap.addFrame(List.of(new LabeledBox(1, UNIT)), List.of(new Detection(1, 0.9f, new Box(0, 0, 10, 7.2f))));
        assertEquals(1.0, ap.map50(), 1e-12);
        assertEquals(0.5, ap.map50to95(), 1e-12);
    }

    @Test
    void noGroundTruthGivesNaN() {
        DetectionAveragePrecision ap = new DetectionAveragePrecision(2);
        ap.addFrame(List.of(), List.of(new Detection(1, 0.9f, UNIT)));
        assertTrue(Double.isNaN(ap.map50()));
    }
}
