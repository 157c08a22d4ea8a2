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
import io.adastream.models.spec.BundledModels;
import io.adastream.models.spec.ModelSpec;
import io.adastream.models.synth.Scene;
import io.adastream.models.synth.SceneGenerator;
import io.adastream.models.task.TensorNormalizer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The algebra of calibration on the bundled demo models: BN kept, against the same model with BN folded by a test
 * helper and then calibrated on clean synthetic frames, under offline AdaBN on fogged frames.
 *
 * <p>Exact variant. A kept layer computes {@code γ(z − μ)/sqrt(σ² + ε) + β}; folding gives the convolution output
 * {@code z' = a·z + c} with {@code a = γ/sqrt(σ²+ε)}. Give the kept layer the calibration statistics {@code (μF, vF)}
 * (scale and bias restated so that it computes the same function), and the calibrated layer has {@code (a·μF + c,
 * a²·vF)}. Under any target statistics {@code (μt, vt)} of z, the calibrated layer normalizes {@code a(z − μt)} by
 * {@code sqrt(a²vt + ε')} and the kept one {@code (z − μt)} by {@code sqrt(vt + ε)}: equal when {@code ε' = a²ε},
 * in particular for ε = ε' → 0. With ε = ε' = 1e-12 (negligible next to every live channel's variance, but no 0/0
 * on dead channels) the two graphs are equal in exact arithmetic before and after adaptation, so only float32
 * rounding separates them: each of the ~10 layers adds a few units of 2^-24 ≈ 6e-8 relative to its activations,
 * which the network's gain may amplify by 10 to 100; tolerance 1e-4 (the {@code check} command's) covers that with
 * room, and the measured values are printed.
 */
class DemoModelCalibrationTest {

    static final double TOLERANCE = 1e-4;
    static final float EXACT_EPSILON = 1e-12f;
    static final int CALIBRATION_FRAMES = 48;
    static final int SHIFTED_FRAMES = 24;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {BundledModels.DETECTOR, BundledModels.SEGMENTER})
    void foldedAndCalibratedAdaptsLikeTheKeptModel(String name) throws Exception {
        ModelSpec spec = BundledModels.spec(name);
        OnnxModel kept = OnnxModel.parse(BundledModels.onnx(name));
        ModelProto folded = BatchNormSurgery.fold(kept.proto());
        assertEquals(0, folded.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("BatchNormalization")).count());
        long[] sample = {3, spec.input().height(), spec.input().width()};
        List<float[]> calibration = scenes(spec, 101, CALIBRATION_FRAMES, null);
        List<float[]> shifted = scenes(spec, 202, SHIFTED_FRAMES, Corruption.FOG);
        String input = spec.input().name();
        List<String> outputs = List.of(spec.output().name());

        CalibrationResult calibrated = Calibrator.calibrate(OnnxModel.of(folded), frames(calibration, sample),
                CalibrationOptions.defaults().withThreads(1));
        int keptLayers = BatchNormInspector.inspect(kept).layers().size();
        assertEquals(keptLayers, calibrated.inserted().size(), "one layer wherever the kept model has a BatchNorm");

        List<float[]> probe = new ArrayList<>(calibration.subList(0, 8));
        probe.addAll(shifted.subList(0, 8));
        double reproduction;
        double folding;
        try (ModelRunner k = new ModelRunner(kept.proto(), input, sample, 1);
             ModelRunner f = new ModelRunner(folded, input, sample, 1);
             ModelRunner c = new ModelRunner(calibrated.model(), input, sample, 1)) {
            List<float[][]> fo = f.run(probe, outputs);
            reproduction = ModelRunner.worst(c.run(probe, outputs), fo);
            folding = ModelRunner.worst(fo, k.run(probe, outputs));
        }
        assertTrue(reproduction <= TOLERANCE, "calibrated vs folded: " + reproduction);

        CalibrationOptions exact = CalibrationOptions.defaults().withThreads(1).withEpsilon(EXACT_EPSILON);
        ModelProto calibratedExact = Calibrator.calibrate(OnnxModel.of(folded), frames(calibration, sample), exact).model();
        double before;
        double after;
        double moved;
        double asShipped;
        try (OfflineAdaBn keptRun = new OfflineAdaBn(kept.proto(), sample, 1);
             OfflineAdaBn calRun = new OfflineAdaBn(calibrated.model(), sample, 1)) {
            float[][][] onCalibration = keptRun.pooledMoments(calibration, keptRun.sourceStatistics());
            ModelProto restated = BatchNormSurgery.restate(kept.proto(), onCalibration[0], onCalibration[1], EXACT_EPSILON);
            try (OfflineAdaBn a = new OfflineAdaBn(restated, sample, 1);
                 OfflineAdaBn b = new OfflineAdaBn(calibratedExact, sample, 1)) {
                List<float[][]> aSource = a.outputs(shifted, a.sourceStatistics(), outputs);
                before = ModelRunner.worst(aSource, b.outputs(shifted, b.sourceStatistics(), outputs));
                List<float[][]> aAdapted = a.outputs(shifted, a.fixedPoint(shifted, 1e-6), outputs);
                after = ModelRunner.worst(aAdapted, b.outputs(shifted, b.fixedPoint(shifted, 1e-6), outputs));
                moved = ModelRunner.worst(aAdapted, aSource);
            }
            // as a user would run it: the kept model's training statistics against the folded model calibrated on
            // clean frames of the training distribution (same generator, other scenes), default epsilon
            List<float[][]> k = keptRun.outputs(shifted, keptRun.fixedPoint(shifted, 1e-4), outputs);
            List<float[][]> c = calRun.outputs(shifted, calRun.fixedPoint(shifted, 1e-4), outputs);
            asShipped = ModelRunner.worst(k, c);
            System.out.printf(Locale.ROOT, "%s: kept with training statistics vs calibrated (epsilon 1e-5), AdaBN on fog-3:"
                    + " max scaled diff %.3e, %s%n", name, asShipped, spec.isSegmentation() ? pixelAgreement(k, c) : "");
        }
        System.out.printf(Locale.ROOT, "%s: %d layers inserted; folded vs kept %.2e, calibrated vs folded %.2e; exact variant:"
                + " before %.2e, after AdaBN %.2e (AdaBN moves the outputs by %.2e)%n", name, calibrated.inserted().size(),
                folding, reproduction, before, after, moved);
        assertTrue(before <= TOLERANCE, "before adaptation: " + before);
        assertTrue(after <= TOLERANCE, "after AdaBN: " + after);
        assertTrue(moved > 100 * TOLERANCE, "the shift must move the outputs for the comparison to mean anything: " + moved);
    }

    private static String pixelAgreement(List<float[][]> a, List<float[][]> b) {
        long same = 0;
        long total = 0;
        for (int i = 0; i < a.size(); i++) {
            float[] x = a.get(i)[0];
            float[] y = b.get(i)[0];
            int classes = 6;
            int pixels = x.length / classes;
            for (int p = 0; p < pixels; p++) {
                same += argmax(x, p, pixels, classes) == argmax(y, p, pixels, classes) ? 1 : 0;
                total++;
            }
        }
        return String.format(Locale.ROOT, "pixel classes agree on %.3f%%", 100.0 * same / total);
    }

    private static int argmax(float[] v, int p, int pixels, int classes) {
        int best = 0;
        for (int c = 1; c < classes; c++) {
            if (v[c * pixels + p] > v[best * pixels + p]) {
                best = c;
            }
        }
        return best;
    }

    private static io.adastream.adapt.calibrate.CalibrationFrames frames(List<float[]> tensors, long[] sample) {
        return new io.adastream.adapt.calibrate.CalibrationFrames() {
            public int count() { return tensors.size(); }
            public long[] sampleShape() { return sample.clone(); }
            public String describe(int i) { return "scene " + i; }
            public void fill(int i, float[] dst) { System.arraycopy(tensors.get(i), 0, dst, 0, dst.length); }
        };
    }

    /** Synthetic scenes of the demo models' training generator through the spec's normalization, optionally fogged. */
    private static List<float[]> scenes(ModelSpec spec, long seed, int count, Corruption corruption) {
        int w = spec.input().width();
        int h = spec.input().height();
        SceneGenerator generator = new SceneGenerator(seed, w, h);
        TensorNormalizer normalizer = TensorNormalizer.forInput(spec.input());
        List<float[]> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Scene s = generator.next();
            float[] rgb = corruption == null ? s.rgb() : corruption.apply(s.rgb(), w, h, 3, seed + i);
            float[] t = new float[3 * w * h];
            normalizer.rgbHwcToNchw(rgb, w, h, FloatBuffer.wrap(t), 0);
            out.add(t);
        }
        return out;
    }
}
