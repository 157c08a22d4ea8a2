package io.adastream.models.calibration;

import ai.onnx.proto.OnnxMl.ModelProto;
import io.adastream.adapt.calibrate.CalibrationOptions;
import io.adastream.adapt.calibrate.CalibrationResult;
import io.adastream.adapt.calibrate.Calibrator;
import io.adastream.adapt.onnx.BatchNormInspector;
import io.adastream.adapt.onnx.OnnxModel;
import io.adastream.adapt.testing.BatchNormSurgery;
import io.adastream.adapt.testing.ModelRunner;
import io.adastream.adapt.testing.OfflineAdaBn;
import io.adastream.models.shift.Corruption;
import io.adastream.models.spec.ModelSpec;
import io.adastream.models.task.ImageFolderFrames;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real pairs of UltraFace files (BN kept, and the same weights with BN folded): the folded file, calibrated on
 * clean COCO frames, must adapt like the kept one on shifted (fog 3) COCO frames. The {@code _simplified} files'
 * {@code boxes} are the raw offsets to the priors, so they are decoded with the priors before boxes are compared.
 */
class UltraFaceCalibrationTest {

    static final ModelSpec.Input INPUT = new ModelSpec.Input("input", 320, 240, null, null, null, "RGB", "signed-127",
            null, null, null, null, null);
    static final List<String> OUTPUTS = List.of("scores", "boxes");
    static final long[] SAMPLE = {3, 240, 320};
    static final int THREADS = 2;
    static final int CALIBRATION_FRAMES = 32;
    static final int SHIFTED_FRAMES = 16;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"RFB-320", "slim-320"})
    void foldedAndCalibratedAdaptsLikeTheKeptModel(String variant) throws Exception {
        Path dir = SharedData.require("ultraface");
        Path coco = SharedData.require("coco-val128/images/val2017");
        Path camvid = SharedData.require("camvid/test");
        OnnxModel kept = OnnxModel.load(dir.resolve("version-" + variant + ".onnx"));
        OnnxModel folded = OnnxModel.load(dir.resolve("version-" + variant + "_simplified.onnx"));
        ImageFolderFrames calibrationFrames = ImageFolderFrames.open(coco, INPUT, 0, CALIBRATION_FRAMES);
        List<float[]> calibration = Frames.tensors(calibrationFrames);
        List<float[]> shifted = Frames.tensors(ImageFolderFrames.open(coco, INPUT, CALIBRATION_FRAMES, SHIFTED_FRAMES,
                new Corrupted(Corruption.FOG, 3)));
        List<float[]> others = Frames.tensors(ImageFolderFrames.open(camvid, INPUT, 0, 8));

        // the pair is what its README says: same scores, and the folded file's raw locations decode to the same boxes
        double pair;
        try (ModelRunner k = new ModelRunner(kept.proto(), "input", SAMPLE, THREADS);
             ModelRunner f = new ModelRunner(folded.proto(), "input", SAMPLE, THREADS)) {
            pair = ModelRunner.worst(k.run(calibration.subList(0, 4), OUTPUTS), decoded(f.run(calibration.subList(0, 4), OUTPUTS)));
        }
        assertTrue(pair <= 1e-4, "kept vs folded file: " + pair);

        CalibrationOptions options = CalibrationOptions.defaults().withThreads(THREADS);
        CalibrationResult foldedCal = Calibrator.calibrate(folded, calibrationFrames, options);
        CalibrationResult keptCal = Calibrator.calibrate(kept, calibrationFrames, options);
        int keptLayers = BatchNormInspector.inspect(kept).layers().size();
        System.out.printf(Locale.ROOT, "%s: kept vs folded file %.2e; kept has %d BN; calibration inserts %d into the"
                        + " folded file, %d into the kept one%n", variant, pair, keptLayers, foldedCal.inserted().size(),
                keptCal.inserted().size());
        assertEquals(keptLayers + keptCal.inserted().size(), foldedCal.inserted().size(),
                "the folded file gets a layer wherever the kept one has a BatchNorm, and where the kept one gets one");

        // the calibrated layers are the identity: same outputs as the folded file on calibration and other frames
        List<float[]> probe = new ArrayList<>(calibration.subList(0, 8));
        probe.addAll(others);
        double reproduction;
        try (ModelRunner a = new ModelRunner(folded.proto(), "input", SAMPLE, THREADS);
             ModelRunner b = new ModelRunner(foldedCal.model(), "input", SAMPLE, THREADS)) {
            reproduction = ModelRunner.worst(b.run(probe, OUTPUTS), a.run(probe, OUTPUTS));
        }
        System.out.printf(Locale.ROOT, "%s: calibrated vs folded on 8 calibration + 8 CamVid frames: max scaled diff %.2e%n",
                variant, reproduction);
        assertTrue(reproduction <= 1e-4, "calibrated vs folded: " + reproduction);

        // as shipped: the kept file with its training statistics against the folded file calibrated on COCO
        DetectionAgreement asShipped;
        DetectionAgreement sameLayers;
        DetectionAgreement unadapted;
        try (OfflineAdaBn keptRun = new OfflineAdaBn(kept.proto(), SAMPLE, THREADS);
             OfflineAdaBn keptCalRun = new OfflineAdaBn(keptCal.model(), SAMPLE, THREADS);
             OfflineAdaBn foldedRun = new OfflineAdaBn(foldedCal.model(), SAMPLE, THREADS)) {
            List<float[][]> f = decoded(foldedRun.outputs(shifted, foldedRun.fixedPoint(shifted, 1e-4), OUTPUTS));
            asShipped = agreement(keptRun.outputs(shifted, keptRun.fixedPoint(shifted, 1e-4), OUTPUTS), f);
            sameLayers = agreement(keptCalRun.outputs(shifted, keptCalRun.fixedPoint(shifted, 1e-4), OUTPUTS), f);
            unadapted = agreement(keptRun.outputs(shifted, keptRun.sourceStatistics(), OUTPUTS),
                    decoded(foldedRun.outputs(shifted, foldedRun.sourceStatistics(), OUTPUTS)));
        }
        System.out.printf(Locale.ROOT, "%s: fog-3 COCO, source statistics, kept vs calibrated folded: %s%n", variant, unadapted);
        System.out.printf(Locale.ROOT, "%s: fog-3 COCO, AdaBN, kept (%d BN) vs calibrated folded: %s%n",
                variant, keptLayers, asShipped);
        System.out.printf(Locale.ROOT, "%s: fog-3 COCO, AdaBN, kept + calibrated (the same %d layers) vs calibrated folded: %s%n",
                variant, foldedCal.inserted().size(), sameLayers);
        assertEquals(1.0, unadapted.matchedFraction(), "before adaptation the calibrated file is the folded one");
        assertTrue(unadapted.maxScoreDiff() <= 1e-5, "before adaptation: " + unadapted);
        // after AdaBN the two start from different references (COCO calibration statistics against the kept file's
        // WIDER FACE training statistics), so equal boxes are not expected; the bound asks that most detections
        // survive the difference: half the boxes matched at IoU >= 0.5 and a mean IoU of 0.8 (measured: 74 to 89%
        // matched, mean IoU 0.89 to 0.96 over both models and both comparisons)
        for (DetectionAgreement a : List.of(asShipped, sameLayers)) {
            assertTrue(a.matchedFraction() >= 0.5 && a.meanIou() >= 0.8, variant + ": " + a);
        }

        // exact variant: the kept model's BatchNorm layers get the statistics of the calibration frames
        ModelProto foldedExact = foldedCal.model();
        ModelProto keptExactCal = keptCal.model();
        double before;
        double after;
        double moved;
        DetectionAgreement exactAfter;
        try (OfflineAdaBn measure = new OfflineAdaBn(keptExactCal, SAMPLE, THREADS)) {
            float[][][] onCalibration = measure.pooledMoments(calibration, measure.sourceStatistics());
            ModelProto keptExact = BatchNormSurgery.restate(keptExactCal, onCalibration[0], onCalibration[1], null);
            try (OfflineAdaBn a = new OfflineAdaBn(keptExact, SAMPLE, THREADS);
                 OfflineAdaBn b = new OfflineAdaBn(foldedExact, SAMPLE, THREADS)) {
                List<float[][]> aSource = a.outputs(shifted, a.sourceStatistics(), OUTPUTS);
                before = ModelRunner.worst(aSource, decoded(b.outputs(shifted, b.sourceStatistics(), OUTPUTS)));
                List<float[][]> aAdapted = a.outputs(shifted, a.fixedPoint(shifted, 1e-4), OUTPUTS);
                List<float[][]> bAdapted = decoded(b.outputs(shifted, b.fixedPoint(shifted, 1e-4), OUTPUTS));
                after = ModelRunner.worst(aAdapted, bAdapted);
                moved = ModelRunner.worst(aAdapted, aSource);
                exactAfter = agreement(aAdapted, bAdapted);
                System.out.printf(Locale.ROOT, "%s: kept with the calibration frames' statistics vs calibrated folded:"
                        + " max scaled diff before %.2e, after AdaBN %.2e (%d and %d passes); AdaBN itself moves the"
                        + " outputs by %.2e; detections after AdaBN: %s%n", variant, before, after, a.passes(), b.passes(),
                        moved, exactAfter);
            }
        }
        assertTrue(before <= 1e-4, "kept with calibration statistics vs calibrated folded, before adaptation: " + before);
        assertTrue(exactAfter.matchedFraction() >= 0.5 && exactAfter.meanIou() >= 0.8, variant + ": " + exactAfter);
    }

    /** Outputs of a {@code _simplified} file with its raw locations decoded into corner boxes. */
    static List<float[][]> decoded(List<float[][]> outputs) {
        return outputs.stream().map(o -> new float[][]{o[0], FaceBoxes.cornersFromLocations(o[1])}).toList();
    }

    static DetectionAgreement agreement(List<float[][]> a, List<float[][]> b) {
        DetectionAgreement agreement = new DetectionAgreement();
        for (int i = 0; i < a.size(); i++) {
            agreement.add(FaceBoxes.decode(a.get(i)[0], a.get(i)[1]), FaceBoxes.decode(b.get(i)[0], b.get(i)[1]));
        }
        return agreement;
    }
}
