package io.adastream.trainer;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.adastream.adapt.onnx.BatchNormInspector;
import io.adastream.adapt.onnx.ModelInspection;
import io.adastream.adapt.onnx.OnnxModel;
import io.adastream.trainer.camvid.CamVidBatchEncoder;
import io.adastream.trainer.camvid.CamVidClasses;
import io.adastream.trainer.camvid.CamVidFrame;
import io.adastream.trainer.eval.Inference;
import io.adastream.trainer.loss.MaskedPixelCrossEntropyLoss;
import io.adastream.trainer.nn.UNet;
import io.adastream.trainer.onnx.OnnxExport;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The export with BatchNormalization folded into the convolutions computes what the export with BatchNormalization
 * kept computes, to float32 precision, in ONNX Runtime, and has no BatchNormalization node left; the kept export of
 * a non-square U-Net matches DJL. The network is trained for a few steps first, so that scales, shifts and running
 * statistics are far from their initial values.
 */
class FoldedExportTest {
    static final int W = 32;
    static final int H = 24;
    static final int[] WIDTHS = {8, 16, 24};
    /** Relative float32 agreement: a few units of rounding per layer, 2^-23 ~ 1.2e-7 each. */
    static final float RELATIVE_TOLERANCE = 1e-5f;

    @Test
    void foldedExportEqualsBatchNormExport() throws Exception {
        ai.djl.engine.Engine.getInstance().setRandomSeed(5);
        List<CamVidFrame> frames = frames(new Random(3), 32);
        try (Model model = Model.newInstance("fold-test")) {
            UNet net = new UNet(CamVidClasses.COUNT, WIDTHS);
            model.setBlock(net);
            new TrainingLoop(new PrintStream(OutputStream.nullOutputStream())).train("test", model,
                    new MaskedPixelCrossEntropyLoss(ones()), frames, new Shape(3, H, W),
                    new CamVidBatchEncoder(W, H, 1L), new TrainingLoop.Settings(3, 8, 1e-2f, 2L, 60_000L), () -> "");
            long[] out = {CamVidClasses.COUNT, H, W};
            ModelProto kept = OnnxExport.export(net, "kept", W, H, OnnxExport.BatchNorm.KEEP, "logits", out, "t");
            ModelProto folded = OnnxExport.export(net, "folded", W, H, OnnxExport.BatchNorm.FOLD, "logits", out, "t");

            int layers = UNet.batchNormLayers(WIDTHS.length);
            assertEquals(layers, count(kept, "BatchNormalization"));
            assertEquals(0, count(folded, "BatchNormalization"));
            assertEquals(count(kept, "Conv"), count(folded, "Conv"));
            ModelInspection inspection = BatchNormInspector.inspect(OnnxModel.parse(kept.toByteArray()));
            assertEquals(layers, inspection.layers().size(), "adaptable BN layers; skipped: " + inspection.skipped());
            assertTrue(BatchNormInspector.inspect(OnnxModel.parse(folded.toByteArray())).layers().isEmpty());

            float[] input = inputs(frames.subList(0, 4));
            float[] noise = new float[4 * 3 * W * H];
            Random random = new Random(9);
            for (int i = 0; i < noise.length; i++) {
                noise[i] = (float) (random.nextGaussian() * 2);
            }
            OrtEnvironment ort = OrtEnvironment.getEnvironment();
            for (float[] x : List.of(input, noise)) {
                float[] fromKept = run(ort, kept, x);
                float[] fromFolded = run(ort, folded, x);
                float[] fromDjl;
                try (NDManager scope = model.getNDManager().newSubManager()) {
                    NDArray array = scope.create(x, new Shape(4, 3, H, W));
                    fromDjl = Inference.forward(net, array);
                }
                float scale = maxAbs(fromKept);
                assertTrue(scale > 0.5f, "degenerate outputs, max |logit| " + scale);
                float foldDiff = maxAbsDiff(fromKept, fromFolded);
                float djlDiff = maxAbsDiff(fromKept, fromDjl);
                System.out.printf("U-Net %dx%d: max |logit| %.3g, max |kept - folded| %.3g, max |kept - DJL| %.3g%n",
                        W, H, scale, foldDiff, djlDiff);
                assertTrue(foldDiff <= RELATIVE_TOLERANCE * Math.max(1f, scale),
                        "folded differs by " + foldDiff + " (max |logit| " + scale + ")");
                assertTrue(djlDiff <= 1e-4f * Math.max(1f, scale / 10f), "kept export differs from DJL by " + djlDiff);
            }
        }
    }

    private static List<CamVidFrame> frames(Random random, int n) {
        List<CamVidFrame> frames = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] input = new float[3 * W * H];
            byte[] labels = new byte[W * H];
            // labels from a simple rule on the input, so the net has something to learn; some Unlabelled pixels
            for (int p = 0; p < W * H; p++) {
                for (int c = 0; c < 3; c++) {
                    input[c * W * H + p] = (float) random.nextGaussian();
                }
                labels[p] = (byte) (random.nextInt(10) == 0 ? CamVidClasses.IGNORE_ID
                        : Math.floorMod((int) (input[p] * 3), CamVidClasses.COUNT));
            }
            frames.add(new CamVidFrame("0006R0_" + i, input, labels));
        }
        return frames;
    }

    private static float[] ones() {
        float[] w = new float[CamVidClasses.COUNT];
        Arrays.fill(w, 1f);
        return w;
    }

    private static float[] inputs(List<CamVidFrame> frames) {
        float[] x = new float[frames.size() * 3 * W * H];
        for (int i = 0; i < frames.size(); i++) {
            System.arraycopy(frames.get(i).input(), 0, x, i * 3 * W * H, 3 * W * H);
        }
        return x;
    }

    private static float[] run(OrtEnvironment ort, ModelProto model, float[] x) throws Exception {
        try (OrtSession session = ort.createSession(model.toByteArray(), new OrtSession.SessionOptions());
             OnnxTensor tensor = OnnxTensor.createTensor(ort, FloatBuffer.wrap(x), new long[]{4, 3, H, W});
             OrtSession.Result result = session.run(Map.of(OnnxExport.INPUT_NAME, tensor))) {
            OnnxTensor out = (OnnxTensor) result.get("logits").orElseThrow();
            assertEquals(List.of(4L, (long) CamVidClasses.COUNT, (long) H, (long) W),
                    Arrays.stream(out.getInfo().getShape()).boxed().toList());
            FloatBuffer buffer = out.getFloatBuffer();
            float[] values = new float[buffer.remaining()];
            buffer.get(values);
            return values;
        }
    }

    private static long count(ModelProto model, String op) {
        return model.getGraph().getNodeList().stream().map(NodeProto::getOpType).filter(op::equals).count();
    }

    private static float maxAbs(float[] v) {
        float m = 0;
        for (float x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    private static float maxAbsDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        float m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
