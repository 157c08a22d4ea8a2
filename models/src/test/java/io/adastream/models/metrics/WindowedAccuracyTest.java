package io.adastream.models.metrics;

import io.adastream.models.task.Box;
import io.adastream.models.task.Detection;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sliding-window accuracies equal the pooled metrics recomputed from scratch over the window's frames. */
class WindowedAccuracyTest {

    @Test
    void windowedMeanIoUEqualsAConfusionMatrixOverTheLastNFrames() {
        Random r = new Random(3);
        int classes = 4;
        int window = 5;
        WindowedMeanIoU windowed = new WindowedMeanIoU(classes, window);
        List<byte[][]> frames = new ArrayList<>();
        for (int f = 0; f < 23; f++) {
            byte[] truth = new byte[50];
            byte[] pred = new byte[50];
            for (int i = 0; i < truth.length; i++) {
                truth[i] = (byte) (r.nextInt(10) == 0 ? 255 : r.nextInt(classes));
                pred[i] = r.nextInt(3) == 0 ? (byte) r.nextInt(classes) : truth[i] == (byte) 255 ? 0 : truth[i];
            }
            frames.add(new byte[][]{truth, pred});
            windowed.add(truth, pred);
            SegmentationConfusion reference = new SegmentationConfusion(classes);
            for (byte[][] tp : frames.subList(Math.max(0, frames.size() - window), frames.size())) {
                reference.add(tp[0], tp[1]);
            }
            assertEquals(reference.meanIoU(), windowed.meanIoU(), 1e-12, "after frame " + f);
            for (int c = 0; c < classes; c++) {
                assertEquals(reference.iou(c), windowed.iou(c), 1e-12);
            }
            assertEquals(Math.min(f + 1, window), windowed.frames());
        }
    }

    @Test
    void windowedMeanIoUOfAHandMadeCase() {
        WindowedMeanIoU w = new WindowedMeanIoU(2, 1);
        assertTrue(Double.isNaN(w.meanIoU()));
        // class 1: tp 1, gt 2, pred 2 -> 1/3; class 0: tp 1, gt 2, pred 2 -> 1/3
        w.add(new byte[]{1, 1, 0, 0}, new byte[]{1, 0, 1, 0});
        assertEquals(1.0 / 3, w.meanIoU(), 1e-15);
        // a window of one frame: only the perfect frame counts
        w.add(new byte[]{1, 0}, new byte[]{1, 0});
        assertEquals(1.0, w.meanIoU(), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> w.add(new byte[]{1}, new byte[]{1, 0}));
        assertThrows(IllegalArgumentException.class, () -> w.add(new byte[]{1}, new byte[]{7}));
    }

    @Test
    void windowedMapEqualsAveragePrecisionOverTheLastNFrames() {
        Random r = new Random(5);
        int window = 4;
        WindowedMeanAveragePrecision windowed = new WindowedMeanAveragePrecision(2, window);
        List<List<LabeledBox>> truths = new ArrayList<>();
        List<List<Detection>> dets = new ArrayList<>();
        for (int f = 0; f < 15; f++) {
            List<LabeledBox> truth = new ArrayList<>();
            List<Detection> det = new ArrayList<>();
            for (int k = 0; k < 1 + r.nextInt(3); k++) {
                float x = r.nextInt(50);
                float y = r.nextInt(50);
                int cls = 1 + r.nextInt(2);
                truth.add(new LabeledBox(cls, new Box(x, y, x + 10, y + 10)));
                float jitter = r.nextInt(6);
                det.add(new Detection(r.nextInt(4) == 0 ? 3 - cls : cls, r.nextFloat(),
                        new Box(x + jitter, y, x + 10 + jitter, y + 10)));
            }
            truths.add(truth);
            dets.add(det);
            windowed.add(truth, det);
            DetectionAveragePrecision reference = new DetectionAveragePrecision(2);
            for (int i = Math.max(0, f + 1 - window); i <= f; i++) {
                reference.addFrame(truths.get(i), dets.get(i));
            }
            assertEquals(reference.map50(), windowed.map50(), 1e-12, "after frame " + f);
            assertEquals(Math.min(f + 1, window), windowed.frames());
        }
    }

    @Test
    void windowedMapOfAHandMadeCase() {
        WindowedMeanAveragePrecision w = new WindowedMeanAveragePrecision(1, 1);
        Box box = new Box(0, 0, 10, 10);
        // a missed object: AP 0; then a window of one frame with a hit: AP 1
        w.add(List.of(new LabeledBox(1, box)), List.of());
        assertEquals(0.0, w.map50(), 0);
        w.add(List.of(new LabeledBox(1, box)), List.of(new Detection(1, 0.9f, new Box(1, 0, 11, 10))));
        assertEquals(1.0, w.map50(), 0);
    }
}
