package io.adastream.client;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Prediction records in the service's format, written by hand, read into typed records with known answers. */
class PredictionDeserializerTest {

    @Test
    void readsASegmentationRecord() {
        Prediction p = PredictionRecords.parse(PredictionRecords.SEGMENTATION);
        assertEquals("f-7", p.frameId());
        assertEquals("cam-1", p.domain());
        assertEquals(new Prediction.ModelInfo("seg", "ab12"), p.model());
        assertEquals("segmentation", p.task());
        assertEquals(new Prediction.Adaptation("prior-decay", "fused", "folded", 12, 13, 0.0345, Double.NaN, 0.5862,
                false), p.adaptation());
        assertEquals(new Prediction.Timings(0.25, 0.125, 1.5), p.timings());
        Result.Segmentation s = (Result.Segmentation) p.result();
        assertEquals(3, s.width());
        assertEquals(2, s.height());
        assertEquals(List.of("background", "road", "car"), s.classes());
        assertArrayEquals(new int[]{0, 1, 0, 1, 0, 2}, s.classIds());
        assertArrayEquals(new int[][]{{0, 1, 0}, {1, 0, 2}}, s.classGrid());
        assertEquals(2, s.area("road"));
        assertEquals(1, s.area("car"));
        assertEquals(0, s.area("background"));
        assertTrue(s.masks().get("road").contains(1, 0));
        assertFalse(s.masks().get("road").contains(2, 1));
        assertTrue(p.hasSourceResult());
        assertArrayEquals(new int[6], ((Result.Segmentation) p.sourceResult()).classIds());
    }

    @Test
    void readsADetectionRecord() {
        Prediction p = PredictionRecords.parse(PredictionRecords.DETECTION);
        assertFalse(p.hasSourceResult());
        assertEquals(new Prediction.Adaptation("ema", "two-pass", "held", 40, 41, 0.0, 3.25, 0.669, true),
                p.adaptation());
        Result.Detections d = (Result.Detections) p.result();
        assertEquals(100, d.width());
        assertEquals(200, d.height());
        assertEquals(List.of(new Result.DetectedBox("ring", 2, 0.5, 10, 20, 30, 60),
                new Result.DetectedBox("disc", 1, 0.9375, 0, 0, 100, 200)), d.boxes());
        assertEquals(20.0, d.boxes().get(0).width());
        assertEquals(40.0, d.boxes().get(0).height());
    }

    @Test
    void aTombstoneIsNull() {
        assertNull(new PredictionDeserializer().deserialize("adastream.predictions", null));
    }

    @Test
    void everyMalformedRecordIsRefusedNamingTheField() {
        record Case(String json, String says) {
        }
        List<Case> cases = List.of(
                new Case("{not json", "not a JSON prediction record"),
                new Case("[1, 2]", "must be a JSON object"),
                new Case(PredictionRecords.SEGMENTATION.replace("\"task\": \"segmentation\"", "\"task\": \"pose\""), "'task'"),
                new Case(PredictionRecords.SEGMENTATION.replace("\"frame_id\": \"f-7\",", ""), "'frame_id'"),
                new Case(PredictionRecords.SEGMENTATION.replace("\"frames\": 12", "\"frames\": -1"), "'adaptation.frames'"),
                new Case(PredictionRecords.SEGMENTATION.replace("\"frozen\": false", "\"frozen\": 0"), "'adaptation.frozen'"),
                new Case(PredictionRecords.SEGMENTATION.replace("\"weight\": 0.0345", "\"weight\": \"high\""), "'adaptation.weight'"),
                new Case(PredictionRecords.SEGMENTATION.replace("\"width\": 3, \"height\": 2, \"classes\"",
                        "\"width\": 0, \"height\": 2, \"classes\""), "'result.width'"),
                new Case(PredictionRecords.SEGMENTATION.replace("[1, 2, 3]", "[1, 2, 2]"), "'result.rle.road'"),
                new Case(PredictionRecords.SEGMENTATION.replace("[1, 2, 3]", "[4, -1, 3]"), "'result.rle.road'"),
                new Case(PredictionRecords.SEGMENTATION.replace("\"road\": {\"size\": [2, 3]", "\"road\": {\"size\": [3, 2]"),
                        "'result.rle.road.size'"),
                new Case(PredictionRecords.SEGMENTATION.replace("\"car\": {", "\"bus\": {"), "'bus'"),
                new Case(PredictionRecords.SEGMENTATION.replace("\"car\": {", "\"background\": {"), "'background'"),
                new Case(PredictionRecords.SEGMENTATION.replace("[5, 1]", "[5, 1.5]"), "'result.rle.car.counts'"),
                new Case(PredictionRecords.SEGMENTATION.replace("\"rle\": {}", "\"rle\": 3"), "'source_result.rle'"),
                new Case(PredictionRecords.DETECTION.replace("[10, 20, 30, 60]", "[10, 20, 30]"), "'result.detections[0].box'"),
                new Case(PredictionRecords.DETECTION.replace("\"score\": 0.9375", "\"score\": 1.5"), "'result.detections[1].score'"),
                new Case(PredictionRecords.DETECTION.replace("\"class\": \"ring\", ", ""), "'result.detections[0].class'"));
        for (Case c : cases) {
            PredictionFormatException e = assertThrows(PredictionFormatException.class, () -> PredictionRecords.parse(c.json()), c.says());
            assertTrue(e.getMessage().contains(c.says()), e.getMessage() + " should say " + c.says());
            assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        }
    }
}
