package io.adastream.models.eval;

import io.adastream.models.metrics.LabeledBox;
import io.adastream.models.synth.SceneClasses;
import io.adastream.models.task.Detection;
import io.adastream.models.task.TaskResult;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AccuracyMeterTest {

    private static List<EvalFrame> frames(int n) {
        FrameRenderer r = new FrameRenderer(11, 48, 48);
        List<EvalFrame> frames = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            frames.add(r.next(Condition.parse("fog-5")));
        }
        return frames;
    }

    @Test
    void groundTruthMasksScoreOne() {
        AccuracyMeter meter = new AccuracyMeter.MeanIoU(SceneClasses.NAMES.size());
        assertTrue(Double.isNaN(meter.value()));
        for (EvalFrame f : frames(20)) {
            meter.add(f, new TaskResult.Segmentation(f.width(), f.height(), f.classMask().clone()));
        }
        assertEquals(1.0, meter.value(), 1e-12);
        assertEquals(20, meter.frames());
    }

    @Test
    void groundTruthBoxesScoreOne() {
        AccuracyMeter meter = new AccuracyMeter.Map50(SceneClasses.FOREGROUND_COUNT);
        int boxes = 0;
        for (EvalFrame f : frames(20)) {
            List<Detection> perfect = new ArrayList<>();
            for (LabeledBox b : f.boxes()) {
                perfect.add(new Detection(b.classId(), 0.9f, b.box()));
            }
            boxes += perfect.size();
            meter.add(f, new TaskResult.Detections(f.width(), f.height(), perfect));
        }
        assertTrue(boxes > 20);
        assertEquals(1.0, meter.value(), 1e-12);
    }

    @Test
    void allBackgroundIsWorseThanPerfect() {
        AccuracyMeter meter = new AccuracyMeter.MeanIoU(SceneClasses.NAMES.size());
        for (EvalFrame f : frames(5)) {
            meter.add(f, new TaskResult.Segmentation(f.width(), f.height(), new byte[f.width() * f.height()]));
        }
        assertTrue(meter.value() < 0.5, "all-background mIoU " + meter.value());
    }
}
