package io.adastream.models.calibration;

import io.adastream.adapt.calibrate.CalibrationOptions;
import io.adastream.adapt.calibrate.CalibrationResult;
import io.adastream.adapt.calibrate.Calibrator;
import io.adastream.adapt.calibrate.ConvSite;
import io.adastream.adapt.onnx.AdaptiveGraphRewriter;
import io.adastream.adapt.onnx.AdaptiveModel;
import io.adastream.adapt.onnx.BatchNormInspector;
import io.adastream.adapt.onnx.ModelFormatException;
import io.adastream.adapt.onnx.OnnxModel;
import io.adastream.adapt.testing.ModelRunner;
import io.adastream.models.spec.ModelSpec;
import io.adastream.models.task.ImageFolderFrames;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** FastestDet (70 convolutions, BN folded at export) becomes adaptable by calibration on COCO frames. */
class FastestDetCalibrationTest {

    static final ModelSpec.Input INPUT = new ModelSpec.Input("input.1", 352, 352, null, null, null, "BGR", "unit",
            null, null, "area", null, null);

    @Test
    void calibrationMakesTheFoldedDetectorAdaptable() throws Exception {
        Path file = SharedData.require("fastestdet/FastestDet.onnx");
        Path coco = SharedData.require("coco-val128/images/val2017");
        OnnxModel model = OnnxModel.load(file);
        assertEquals(ModelFormatException.Reason.NO_BATCHNORM,
                assertThrows(ModelFormatException.class, () -> AdaptiveGraphRewriter.rewrite(model)).reason());
        ImageFolderFrames frames = ImageFolderFrames.open(coco, INPUT, 0, Calibrator.MIN_FRAMES);
        CalibrationResult result = Calibrator.calibrate(model, frames, CalibrationOptions.defaults().withThreads(2));
        AdaptiveModel adaptive = AdaptiveGraphRewriter.rewrite(OnnxModel.of(result.model()));
        System.out.printf(Locale.ROOT, "FastestDet: %d convolutions; %d layers inserted, %d heads, %d with one position,"
                        + " %d already normalized; adaptive graph has %d layers (%d channels)%n",
                result.convolutions().size(), result.inserted().size(), result.count(ConvSite.Role.HEAD),
                result.count(ConvSite.Role.SINGLE_POSITION), result.count(ConvSite.Role.NORMALIZED),
                adaptive.layerCount(), adaptive.totalChannels());
        assertEquals(70, result.convolutions().size());
        assertEquals(result.inserted().size(), BatchNormInspector.inspect(OnnxModel.of(result.model())).layers().size());
        assertEquals(70, result.inserted().size() + result.count(ConvSite.Role.HEAD) + result.count(ConvSite.Role.SINGLE_POSITION));
        assertTrue(result.count(ConvSite.Role.HEAD) >= 1);
        List<float[]> probe = Frames.tensors(ImageFolderFrames.open(coco, INPUT, 100, 4));
        double diff;
        try (ModelRunner a = new ModelRunner(model.proto(), "input.1", frames.sampleShape(), 2);
             ModelRunner b = new ModelRunner(result.model(), "input.1", frames.sampleShape(), 2)) {
            String out = model.proto().getGraph().getOutput(0).getName();
            diff = ModelRunner.worst(b.run(probe, List.of(out)), a.run(probe, List.of(out)));
        }
        System.out.printf(Locale.ROOT, "FastestDet: calibrated vs original on 4 other COCO frames: max scaled diff %.2e%n", diff);
        assertTrue(diff <= 1e-4, "calibrated vs original: " + diff);
    }
}
