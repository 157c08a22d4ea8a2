package io.adastream.models.eval;

import io.adastream.adapt.calibrate.CalibrationOptions;
import io.adastream.adapt.calibrate.CalibrationResult;
import io.adastream.adapt.calibrate.Calibrator;
import io.adastream.adapt.inference.AdaptationMode;
import io.adastream.adapt.onnx.OnnxModel;
import io.adastream.models.calibration.SharedData;
import io.adastream.models.data.DomainRule;
import io.adastream.models.data.LabelLayout;
import io.adastream.models.data.LabelledFolder;
import io.adastream.models.data.LabelledFrameReader;
import io.adastream.models.data.LabelledImage;
import io.adastream.models.spec.ModelSpec;
import io.adastream.models.task.FastestDetSpecs;
import io.adastream.models.task.ImageFolderFrames;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The oracle on a real deep model: FastestDet calibrated on 32 COCO frames (67 BatchNorm layers), its statistics
 * estimated from 16 other frames as {@code scripts/eval.sh coco} does. They must be the fixed point (one more pass
 * does not move them, every layer measured) and not the source's. The iteration before the fix overflowed float
 * here within five passes, measured nothing more and stopped there (the clean COCO oracle scored 0 mAP).
 */
class FastestDetOracleTest {

    @Test
    void theOracleOfSixteenCocoFramesIsTheirFixedPoint() throws Exception {
        Path file = SharedData.require("fastestdet/FastestDet.onnx");
        Path images = SharedData.require("coco-val128/images/val2017");
        Path labels = SharedData.require("coco-val128/object_detection/labels/val2017");
        ModelSpec spec = FastestDetSpecs.spec("FastestDet-calibrated.onnx", 0.05, 0.35);
        CalibrationResult calibrated = Calibrator.calibrate(OnnxModel.load(file),
                ImageFolderFrames.open(images, spec.input(), 0, Calibrator.MIN_FRAMES),
                CalibrationOptions.defaults().withThreads(1));
        List<LabelledImage> all = LabelledFolder.list(images, labels, LabelLayout.YOLO, DomainRule.FOLDER).get("val2017");
        LabelledFrameReader reader = new LabelledFrameReader(spec, LabelledFrameReader.NOT_SCORED);
        List<EvalFrame> frames = new ArrayList<>();
        for (LabelledImage image : all.subList(Calibrator.MIN_FRAMES, Calibrator.MIN_FRAMES + 16)) {
            frames.add(reader.read(image));
        }
        try (EvalModel model = EvalModel.open(spec, calibrated.model().toByteArray(), 1);
             var runner = model.newRunner(AdaptationMode.FUSED)) {
            StreamReplay replay = new StreamReplay(model, 20, Set.of(), 0, 1);
            assertEquals(67, replay.oraclePasses());
            float[][][] oracle = replay.oracleStatistics(runner, frames);
            StreamReplay.OraclePass pass = replay.pooledMoments(runner, frames, oracle);
            // every frame gives valid moments of every layer with them (the old iteration stopped where none did)
            assertEquals(0, pass.unmeasured(), "layers no frame measured");
            float[][][] again = pass.statistics();
            double step = scaledChange(oracle, again);
            double fromSource = scaledChange(replay.sourceStatistics(), oracle);
            System.out.printf(Locale.ROOT, "FastestDet oracle of 16 COCO frames: one more pass moves it by %.2e,"
                    + " the source is %.2e away (relative to each layer's mean magnitude)%n", step, fromSource);
            assertTrue(step <= 1e-3, "one more pass moves the oracle's statistics by " + step);
            assertTrue(fromSource >= 1e-2, "the oracle's statistics are the source's: " + fromSource);
        }
    }

    /** The largest |b − a| over max(|a|, the mean |a| of its layer's statistic), over every mean and variance. */
    private static double scaledChange(float[][][] a, float[][][] b) {
        double worst = 0;
        for (int k = 0; k < 2; k++) {
            for (int l = 0; l < a[k].length; l++) {
                double scale = 0;
                for (float v : a[k][l]) {
                    scale += Math.abs(v);
                }
                scale /= a[k][l].length;
                for (int c = 0; c < a[k][l].length; c++) {
                    double d = Math.abs(b[k][l][c] - a[k][l][c]) / Math.max(Math.max(Math.abs(a[k][l][c]), scale), 1e-12);
                    if (Double.isNaN(d)) {
                        return Double.NaN;
                    }
                    worst = Math.max(worst, d);
                }
            }
        }
        return worst;
    }
}
