package io.adastream.adapt.calibrate;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import io.adastream.adapt.onnx.AdaptiveGraphRewriter;
import io.adastream.adapt.onnx.AdaptiveModel;
import io.adastream.adapt.onnx.OnnxModel;
import io.adastream.adapt.onnx.Tensors;
import io.adastream.adapt.testing.Arrays2;
import io.adastream.adapt.testing.OfflineAdaBn;
import io.adastream.adapt.testing.PlainOrt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CalibratorTest {

    private static final long[] SHAPE = {1, 3, 16, 16};

    @ParameterizedTest(name = "opset {0}")
    @ValueSource(ints = {9, 13, 17, 21})
    void insertsTheStatisticsOfEachCandidateOutputOverAllFramesAndPositions(int opset) throws Exception {
        ModelProto model = CalibrationNetworks.mixed(opset, 11);
        TensorFrames frames = TensorFrames.gaussian(40, CalibrationNetworks.SAMPLE, 0.2, 1.0, 5);
        CalibrationResult result = Calibrator.calibrate(OnnxModel.of(model), frames, CalibrationOptions.defaults());

        assertEquals(3, result.inserted().size(), "conv1, conv2 and conv3 get layers");
        assertEquals(1, result.count(ConvSite.Role.SINGLE_POSITION));
        assertEquals(1, result.count(ConvSite.Role.HEAD));
        assertEquals(1, result.count(ConvSite.Role.NORMALIZED));
        for (CalibratedLayer layer : result.inserted()) {
            double[][] expected = naiveMoments(model, layer.site().output(), frames.tensors());
            for (int c = 0; c < layer.channels(); c++) {
                assertEquals(expected[0][c], layer.mean()[c], 1e-9 * Math.max(1, Math.abs(expected[0][c])), "mean");
                assertEquals(expected[1][c], layer.variance()[c], 1e-9 * expected[1][c], "variance");
            }
        }
        // the inserted node carries exactly these statistics, scale sqrt(var + eps) and bias = mean
        Map<String, TensorProto> init = new HashMap<>();
        result.model().getGraph().getInitializerList().forEach(t -> init.put(t.getName(), t));
        CalibratedLayer first = result.inserted().get(0);
        NodeProto bn = result.model().getGraph().getNodeList().stream()
                .filter(n -> n.getOpType().equals("BatchNormalization") && n.getOutput(0).equals(first.site().output()))
                .findFirst().orElseThrow();
        float[] scale = Tensors.toFloatArray(init.get(bn.getInput(1)));
        float[] bias = Tensors.toFloatArray(init.get(bn.getInput(2)));
        float[] var = Tensors.toFloatArray(init.get(bn.getInput(4)));
        for (int c = 0; c < first.channels(); c++) {
            assertEquals((float) Math.sqrt(first.variance()[c] + 1e-5), scale[c]);
            assertEquals((float) first.mean()[c], bias[c]);
            assertEquals((float) first.variance()[c], var[c]);
        }
    }

    @Test
    void theCalibratedModelReproducesTheOriginalOnCalibrationAndOtherFrames() throws Exception {
        ModelProto model = CalibrationNetworks.mixed(13, 12);
        TensorFrames calibration = TensorFrames.gaussian(32, CalibrationNetworks.SAMPLE, 0.2, 1.0, 6);
        ModelProto calibrated = Calibrator.calibrate(OnnxModel.of(model), calibration, CalibrationOptions.defaults()).model();
        List<float[]> others = TensorFrames.gaussian(8, CalibrationNetworks.SAMPLE, -0.5, 2.0, 99).tensors();
        String out = model.getGraph().getOutput(0).getName();
        double worst = 0;
        List<float[]> all = new ArrayList<>(calibration.tensors().subList(0, 8));
        all.addAll(others);
        for (float[] frame : all) {
            float[] expected = PlainOrt.run(model, "image", frame, SHAPE, out);
            float[] actual = PlainOrt.run(calibrated, "image", frame, SHAPE, out);
            worst = Math.max(worst, Arrays2.maxScaledDiff(actual, expected));
        }
        assertTrue(worst <= 1e-5, "max scaled diff " + worst);
    }

    @Test
    void theCalibratedModelIsAdaptableAndRecordsWhatWasInserted() throws Exception {
        ModelProto model = CalibrationNetworks.mixed(13, 13);
        CalibrationResult result = Calibrator.calibrate(OnnxModel.of(model),
                TensorFrames.gaussian(33, CalibrationNetworks.SAMPLE, 0, 1, 7), CalibrationOptions.defaults());
        AdaptiveModel adaptive = AdaptiveGraphRewriter.rewrite(OnnxModel.of(result.model()));
        assertEquals(1 + 3, adaptive.layerCount(), "the kept BatchNorm and the three inserted ones");
        Map<String, String> meta = new HashMap<>();
        for (StringStringEntryProto p : result.model().getMetadataPropsList()) {
            meta.put(p.getKey(), p.getValue());
        }
        assertEquals("33", meta.get(Calibrator.METADATA_FRAMES));
        assertEquals("3", meta.get(Calibrator.METADATA_INSERTED));
        assertEquals(3, meta.get(Calibrator.METADATA_LAYERS).split(",").length);
        assertEquals(OnnxModel.of(model).fingerprintHex(), meta.get(Calibrator.METADATA_SOURCE));
        assertTrue(meta.get(Calibrator.METADATA_LEFT_ALONE).contains("1 head"), meta.get(Calibrator.METADATA_LEFT_ALONE));
        CalibrationException again = assertThrows(CalibrationException.class, () -> Calibrator.calibrate(
                OnnxModel.of(result.model()), TensorFrames.gaussian(33, CalibrationNetworks.SAMPLE, 0, 1, 7),
                CalibrationOptions.defaults()));
        assertEquals(CalibrationException.Reason.NOTHING_TO_INSERT, again.reason());
    }

    /**
     * The algebra: a model with BatchNorm kept, whose layers are given the statistics of the calibration frames
     * (restated so the function is unchanged), against the same model folded and then calibrated on those frames.
     * With epsilon 0 on both, each calibrated layer normalizes {@code a·z + c} by {@code (a·μ + c, a²·σ²)}, which is
     * exactly the kept layer's {@code (z − μ)/σ}: the two graphs agree to float32 rounding before and after AdaBN.
     */
    @Test
    void foldedThenCalibratedAdaptsExactlyLikeTheKeptModelWithCalibrationStatistics() throws Exception {
        ModelProto kept = CalibrationNetworks.kept(13, 21);
        ModelProto folded = io.adastream.adapt.testing.BatchNormSurgery.fold(kept);
        assertEquals(0, folded.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("BatchNormalization")).count());
        TensorFrames calibration = TensorFrames.gaussian(48, CalibrationNetworks.SAMPLE, 0.2, 1.0, 8);
        CalibrationOptions exact = CalibrationOptions.defaults().withEpsilon(0f);
        ModelProto calibrated = Calibrator.calibrate(OnnxModel.of(folded), calibration, exact).model();
        List<float[]> shifted = TensorFrames.gaussian(24, CalibrationNetworks.SAMPLE, 1.0, 2.5, 9).tensors();
        String out = kept.getGraph().getOutput(0).getName();
        try (OfflineAdaBn keptRunner = new OfflineAdaBn(kept, CalibrationNetworks.SAMPLE, 1)) {
            float[][][] onCalibration = keptRunner.pooledMoments(calibration.tensors(), keptRunner.sourceStatistics());
            ModelProto restated = io.adastream.adapt.testing.BatchNormSurgery.restate(kept, onCalibration[0], onCalibration[1], 0f);
            try (OfflineAdaBn a = new OfflineAdaBn(restated, CalibrationNetworks.SAMPLE, 1);
                 OfflineAdaBn b = new OfflineAdaBn(calibrated, CalibrationNetworks.SAMPLE, 1)) {
                assertEquals(a.adaptive().layerCount(), b.adaptive().layerCount());
                double before = worst(a.outputs(shifted, a.sourceStatistics(), out), b.outputs(shifted, b.sourceStatistics(), out));
                double keptBefore = worst(keptRunner.outputs(shifted, keptRunner.sourceStatistics(), out),
                        b.outputs(shifted, b.sourceStatistics(), out));
                float[][][] sa = a.fixedPoint(shifted, 1e-7);
                float[][][] sb = b.fixedPoint(shifted, 1e-7);
                double after = worst(a.outputs(shifted, sa, out), b.outputs(shifted, sb, out));
                double adaptationMoves = worst(a.outputs(shifted, sa, out), a.outputs(shifted, a.sourceStatistics(), out));
                assertTrue(keptBefore <= 1e-5, "folded+calibrated vs kept before adaptation: " + keptBefore);
                assertTrue(before <= 1e-5, "before adaptation: " + before);
                assertTrue(after <= 1e-5, "after AdaBN: " + after);
                assertTrue(adaptationMoves > 1e-2, "the shift must move the outputs for the test to mean anything: " + adaptationMoves);
            }
        }
    }

    @Test
    void refusesWithOneLineReasons() throws Exception {
        ModelProto mixed = CalibrationNetworks.mixed(13, 14);
        CalibrationException few = assertThrows(CalibrationException.class, () -> Calibrator.calibrate(OnnxModel.of(mixed),
                TensorFrames.gaussian(Calibrator.MIN_FRAMES - 1, CalibrationNetworks.SAMPLE, 0, 1, 1), CalibrationOptions.defaults()));
        assertEquals(CalibrationException.Reason.TOO_FEW_FRAMES, few.reason());
        assertTrue(few.getMessage().contains("at least 32"), few.getMessage());

        CalibrationException nothing = assertThrows(CalibrationException.class, () -> Calibrator.calibrate(
                OnnxModel.of(CalibrationNetworks.kept(13, 3)), TensorFrames.gaussian(40, CalibrationNetworks.SAMPLE, 0, 1, 1),
                CalibrationOptions.defaults()));
        assertEquals(CalibrationException.Reason.NOTHING_TO_INSERT, nothing.reason());
        assertEquals("nothing to insert: of 4 convolutions, 3 already followed by BatchNormalization, 1 head (reaches a "
                + "model output without another convolution), 0 single spatial position", nothing.getMessage());

        TensorFrames poisoned = TensorFrames.gaussian(40, CalibrationNetworks.SAMPLE, 0, 1, 2);
        poisoned.tensors().get(17)[5] = Float.NaN;
        CalibrationException nan = assertThrows(CalibrationException.class,
                () -> Calibrator.calibrate(OnnxModel.of(mixed), poisoned, CalibrationOptions.defaults()));
        assertEquals(CalibrationException.Reason.NON_FINITE, nan.reason());
        assertTrue(nan.getMessage().contains("frame #17"), nan.getMessage());

        CalibrationFrames failing = new CalibrationFrames() {
            public int count() { return 40; }
            public long[] sampleShape() { return CalibrationNetworks.SAMPLE.clone(); }
            public String describe(int index) { return "x.jpg"; }
            public void fill(int index, float[] dst) throws CalibrationException {
                throw new CalibrationException(CalibrationException.Reason.BAD_FRAME, "x.jpg: not an image");
            }
        };
        CalibrationException bad = assertThrows(CalibrationException.class,
                () -> Calibrator.calibrate(OnnxModel.of(mixed), failing, CalibrationOptions.defaults()));
        assertEquals(CalibrationException.Reason.BAD_FRAME, bad.reason());

        ModelProto rewritten = ModelProto.parseFrom(AdaptiveGraphRewriter.rewrite(OnnxModel.of(mixed)).adaptiveBytes());
        CalibrationException adaptive = assertThrows(CalibrationException.class, () -> Calibrator.calibrate(
                OnnxModel.of(rewritten), TensorFrames.gaussian(40, CalibrationNetworks.SAMPLE, 0, 1, 1), CalibrationOptions.defaults()));
        assertEquals(CalibrationException.Reason.UNSUPPORTED, adaptive.reason());

        ModelProto twoInputs = mixed.toBuilder().setGraph(mixed.getGraph().toBuilder().addInput(ValueInfoProto.newBuilder()
                .setName("extra").setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
                        .setElemType(TensorProto.DataType.FLOAT_VALUE))))).build();
        CalibrationException two = assertThrows(CalibrationException.class, () -> Calibrator.calibrate(
                OnnxModel.of(twoInputs), TensorFrames.gaussian(40, CalibrationNetworks.SAMPLE, 0, 1, 1), CalibrationOptions.defaults()));
        assertTrue(two.getMessage().contains("one input"), two.getMessage());
    }

    /** Mean and population variance per channel of a tensor over all frames and positions, the naive way. */
    private static double[][] naiveMoments(ModelProto model, String tensor, List<float[]> frames) throws Exception {
        ModelProto exposing = model.toBuilder().setGraph(model.getGraph().toBuilder().clearOutput()
                .addOutput(ValueInfoProto.newBuilder().setName(tensor).setType(TypeProto.newBuilder()
                        .setTensorType(TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE))))).build();
        List<float[]> values = new ArrayList<>();
        for (float[] f : frames) {
            values.add(PlainOrt.run(exposing, "image", f, SHAPE, tensor));
        }
        int channels = 8;
        int spatial = values.get(0).length / channels;
        double[][] out = new double[2][channels];
        for (int c = 0; c < channels; c++) {
            double sum = 0;
            for (float[] v : values) {
                for (int s = 0; s < spatial; s++) {
                    sum += v[c * spatial + s];
                }
            }
            double mean = sum / ((double) spatial * values.size());
            double sq = 0;
            for (float[] v : values) {
                for (int s = 0; s < spatial; s++) {
                    double d = v[c * spatial + s] - mean;
                    sq += d * d;
                }
            }
            out[0][c] = mean;
            out[1][c] = sq / ((double) spatial * values.size());
        }
        return out;
    }

    private static double worst(List<float[]> a, List<float[]> b) {
        double w = 0;
        for (int i = 0; i < a.size(); i++) {
            w = Math.max(w, Arrays2.maxScaledDiff(a.get(i), b.get(i)));
        }
        return w;
    }
}
