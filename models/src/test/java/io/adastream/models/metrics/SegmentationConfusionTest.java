package io.adastream.models.metrics;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SegmentationConfusionTest {

    @Test
    void perfectPredictionHasMeanIoUOne() {
        SegmentationConfusion m = new SegmentationConfusion(4);
        byte[] mask = {0, 1, 1, 3, 3, 3};
        m.add(mask, mask);
        assertEquals(1.0, m.meanIoU(), 1e-12);
        assertTrue(Double.isNaN(m.iou(2)), "class 2 is absent");
    }

    @Test
    void handComputedPartialCase() {
        // gt   = 0 0 1 1 2 2
        // pred = 0 1 1 1 2 0
        // class 0: TP 1, GT 2, predicted 2 -> union 3 -> 1/3
        // class 1: TP 2, GT 2, predicted 3 -> union 3 -> 2/3
        // class 2: TP 1, GT 2, predicted 1 -> union 2 -> 1/2
        // mean = (1/3 + 2/3 + 1/2) / 3 = 0.5; class 3 appears nowhere and is left out of the mean
        SegmentationConfusion m = new SegmentationConfusion(4);
        m.add(new byte[]{0, 0, 1, 1, 2, 2}, new byte[]{0, 1, 1, 1, 2, 0});
        assertEquals(1.0 / 3, m.iou(0), 1e-12);
        assertEquals(2.0 / 3, m.iou(1), 1e-12);
        assertEquals(0.5, m.iou(2), 1e-12);
        assertEquals(0.5, m.meanIoU(), 1e-12);
        assertEquals(4.0 / 6, m.pixelAccuracy(), 1e-12);
        assertEquals(1, m.count(2, 0));

        // a second frame of 4 correct background pixels and one ignored (255) pixel accumulates:
        // class 0: TP 5, GT 6, predicted 6 -> 5/7
        m.add(new byte[]{0, 0, 0, 0, (byte) 255}, new byte[]{0, 0, 0, 0, 1});
        assertEquals(5.0 / 7, m.iou(0), 1e-12);
        assertEquals(2.0 / 3, m.iou(1), 1e-12);
        assertEquals((5.0 / 7 + 2.0 / 3 + 0.5) / 3, m.meanIoU(), 1e-12);
    }

    @Test
    void rejectsMismatchedMasksAndUnknownPredictions() {
        SegmentationConfusion m = new SegmentationConfusion(2);
        assertThrows(IllegalArgumentException.class, () -> m.add(new byte[2], new byte[3]));
        assertThrows(IllegalArgumentException.class, () -> m.add(new byte[]{0}, new byte[]{2}));
        assertTrue(Double.isNaN(m.meanIoU()));
    }
}
