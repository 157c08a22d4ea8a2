package io.adastream.client.djl;

import ai.djl.modality.cv.output.CategoryMask;
import ai.djl.modality.cv.output.DetectedObjects;
import ai.djl.modality.cv.output.Rectangle;
import io.adastream.client.Prediction;
import io.adastream.client.PredictionRecords;
import io.adastream.client.Result;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class DjlOutputsTest {

    @Test
    void detectionsBecomeDetectedObjectsWithRectanglesRelativeToTheFrame() {
        Prediction p = PredictionRecords.parse(PredictionRecords.DETECTION);
        DetectedObjects objects = DjlOutputs.toDetectedObjects((Result.Detections) p.result());
        assertEquals(2, objects.getNumberOfObjects());
        DetectedObjects.DetectedObject ring = objects.item(0);
        assertEquals("ring", ring.getClassName());
        assertEquals(0.5, ring.getProbability(), 0.0);
        // box [10, 20, 30, 60] in a 100x200 frame
        Rectangle r = ring.getBoundingBox().getBounds();
        assertEquals(0.1, r.getX(), 1e-12);
        assertEquals(0.1, r.getY(), 1e-12);
        assertEquals(0.2, r.getWidth(), 1e-12);
        assertEquals(0.2, r.getHeight(), 1e-12);
        Rectangle whole = objects.<DetectedObjects.DetectedObject>item(1).getBoundingBox().getBounds();
        assertArrayEquals(new double[]{0, 0, 1, 1}, new double[]{whole.getX(), whole.getY(), whole.getWidth(),
                whole.getHeight()}, 1e-12);
    }

    @Test
    void aSegmentationBecomesACategoryMaskIndexedByRowThenColumn() {
        Prediction p = PredictionRecords.parse(PredictionRecords.SEGMENTATION);
        CategoryMask mask = DjlOutputs.toCategoryMask((Result.Segmentation) p.result());
        assertEquals(List.of("background", "road", "car"), mask.getClasses());
        assertArrayEquals(new int[][]{{0, 1, 0}, {1, 0, 2}}, mask.getMask());
    }
}
