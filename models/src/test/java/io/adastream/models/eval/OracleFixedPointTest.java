package io.adastream.models.eval;

import ai.onnx.proto.OnnxMl.ModelProto;
import io.adastream.adapt.inference.AdaptationMode;
import io.adastream.adapt.testing.NetworkBuilder;
import io.adastream.models.spec.ModelSpec;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The oracle's statistics against ones computed by hand, on a chain of BatchNorm layers whose source variances are
 * tiny: fed the source statistics, every layer multiplies its input by about 70,000, so the first passes overflow
 * float in the deep layers (as FastestDet's 67 layers do on 16 COCO frames). Those layers must not take the frames'
 * moments of the layers upstream with them, nor stop the iteration.
 */
class OracleFixedPointTest {

    private static final int SIZE = 8;
    private static final int LAYERS = 6;
    private static final float EPSILON = 1e-10f;

    @Test
    void theOracleReachesTheStreamsPopulationStatisticsThroughOverflowingPasses() throws Exception {
        NetworkBuilder b = new NetworkBuilder(13, 1);
        String x = b.input("image", -1, 3, SIZE, SIZE);
        for (int l = 0; l < LAYERS; l++) {
            x = b.batchNorm(x, new float[]{1, 1, 1}, new float[3], new float[3], new float[]{1e-10f, 1e-10f, 1e-10f},
                    EPSILON);
        }
        b.output(x);
        ModelProto proto = b.build();
        ModelSpec spec = ModelSpec.parse(new ByteArrayInputStream(("{\"name\": \"chain\", \"task\": \"segmentation\","
                + " \"model\": \"chain.onnx\", \"input\": {\"name\": \"image\", \"width\": " + SIZE + ", \"height\": " + SIZE
                + ", \"resize\": \"stretch\", \"mean\": [0, 0, 0], \"std\": [1, 1, 1]}, \"classes\": [\"a\", \"b\", \"c\"],"
                + " \"output\": {\"name\": \"" + x + "\"}}").getBytes(StandardCharsets.UTF_8)), "chain.json");
        Random random = new Random(5);
        List<EvalFrame> frames = new ArrayList<>();
        double[] sum = new double[3];
        double[] sumSquares = new double[3];
        for (int f = 0; f < 5; f++) {
            int[] rgb = new int[SIZE * SIZE];
            for (int i = 0; i < rgb.length; i++) {
                int r = random.nextInt(256);
                int g = 40 + random.nextInt(100);
                int bl = 200 + random.nextInt(56);
                rgb[i] = r << 16 | g << 8 | bl;
                int[] v = {r, g, bl};
                for (int c = 0; c < 3; c++) {
                    sum[c] += v[c] / 255.0;
                    sumSquares[c] += (v[c] / 255.0) * (v[c] / 255.0);
                }
            }
            frames.add(new EvalFrame(SIZE, SIZE, rgb, new byte[SIZE * SIZE], List.of()));
        }
        // by hand: the first layer sees the input, v / 255 per channel; each later one the previous layer's output,
        // mean 0 and variance var / (var + epsilon) of the previous variance
        long n = 5L * SIZE * SIZE;
        double[] mean0 = new double[3];
        double[] var0 = new double[3];
        for (int c = 0; c < 3; c++) {
            mean0[c] = sum[c] / n;
            var0[c] = sumSquares[c] / n - mean0[c] * mean0[c];
        }
        try (EvalModel model = EvalModel.open(spec, proto.toByteArray(), 1);
             var runner = model.newRunner(AdaptationMode.FUSED)) {
            StreamReplay replay = new StreamReplay(model, 20, java.util.Set.of(), 0, 1);
            assertEquals(LAYERS, replay.oraclePasses());
            float[][][] oracle = replay.oracleStatistics(runner, frames);
            double[] var = var0.clone();
            for (int l = 0; l < LAYERS; l++) {
                for (int c = 0; c < 3; c++) {
                    double mean = l == 0 ? mean0[c] : 0;
                    assertEquals(mean, oracle[0][l][c], 1e-4, "mean, layer " + l + " channel " + c);
                    assertEquals(var[c], oracle[1][l][c], 1e-4 * var[c], "variance, layer " + l + " channel " + c);
                    var[c] = var[c] / (var[c] + EPSILON);
                }
            }
        }
    }
}
