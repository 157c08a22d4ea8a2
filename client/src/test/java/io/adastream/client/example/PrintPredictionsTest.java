package io.adastream.client.example;

import io.adastream.client.PredictionRecords;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PrintPredictionsTest {

    @Test
    void aSegmentationLineGivesEachClassShareOfThePixels() {
        // 2 of 6 pixels road, 1 of 6 car; the shift score was not computed (null)
        assertEquals("cam-1 f-7: prior-decay folded after 12 frames (weight 0.0345, shift NaN) road 33.3% car 16.7%",
                PrintPredictions.describe(PredictionRecords.parse(PredictionRecords.SEGMENTATION)));
    }

    @Test
    void aDetectionLineListsTheBoxesRelativeToTheFrame() {
        assertEquals("site-4 d-1: ema held after 40 frames (weight 0.0000, shift 3.250) 2 objects "
                        + "ring 0.50 [0.10 0.10 0.20 0.20] disc 0.94 [0.00 0.00 1.00 1.00]",
                PrintPredictions.describe(PredictionRecords.parse(PredictionRecords.DETECTION)));
    }
}
