package io.adastream.adapt.testing;

import ai.onnx.proto.OnnxMl.ModelProto;

/** Reference architectures with BatchNormalization, built in memory for tests and benchmarks. */
public final class ReferenceNetworks {

    private ReferenceNetworks() {
    }

    /**
     * A ResNet-style classifier on [N, 3, size, size]: a strided stem, stages of basic residual blocks
     * (conv-BN-ReLU-conv-BN plus identity or 1x1 conv-BN shortcut), global pooling and a linear head.
     * BN layers: 1 + 2·blocks + (stages − 1).
     */
    public static ModelProto resnet(int opset, int size, int[] blocksPerStage, int baseWidth, long seed) {
        NetworkBuilder b = new NetworkBuilder(opset, seed);
        String x = b.input("image", -1, 3, size, size);
        int width = baseWidth;
        x = b.relu(b.batchNorm(b.conv(x, 3, width, 3, 2, 2), width));
        for (int stage = 0; stage < blocksPerStage.length; stage++) {
            for (int block = 0; block < blocksPerStage[stage]; block++) {
                boolean down = stage > 0 && block == 0;
                int in = width;
                int out = down ? width * 2 : width;
                String h = b.relu(b.batchNorm(b.conv(x, in, out, 3, down ? 2 : 1, 2), out));
                h = b.batchNorm(b.conv(h, out, out, 3, 1, 2), out);
                String shortcut = down ? b.batchNorm(b.conv(x, in, out, 1, 2, 2), out) : x;
                x = b.relu(b.add(h, shortcut));
                width = out;
            }
        }
        String logits = b.gemm(b.flatten(b.globalAveragePool(x)), width, 10);
        b.output(logits);
        return b.build();
    }

    /**
     * ResNet-18 (He et al. 2016) on [N, 3, 224, 224]: 7x7/2 stem, 3x3/2 max-pool, four stages of two basic blocks
     * with widths 64, 128, 256, 512, global pooling and a 1000-way linear head; 20 BatchNormalization layers,
     * 4,800 BN channels. Weights and statistics are random (seeded): the benchmark measures time, not accuracy.
     */
    public static ModelProto resnet18(int opset) {
        NetworkBuilder b = new NetworkBuilder(opset, 18);
        String x = b.input("image", -1, 3, 224, 224);
        x = b.maxPool(b.relu(b.batchNorm(b.conv(x, 3, 64, 7, 2, 2), 64)), 3, 2);
        int width = 64;
        for (int stage = 0; stage < 4; stage++) {
            for (int block = 0; block < 2; block++) {
                boolean down = stage > 0 && block == 0;
                int in = width;
                int out = down ? width * 2 : width;
                String h = b.relu(b.batchNorm(b.conv(x, in, out, 3, down ? 2 : 1, 2), out));
                h = b.batchNorm(b.conv(h, out, out, 3, 1, 2), out);
                String shortcut = down ? b.batchNorm(b.conv(x, in, out, 1, 2, 2), out) : x;
                x = b.relu(b.add(h, shortcut));
                width = out;
            }
        }
        b.output(b.gemm(b.flatten(b.globalAveragePool(x)), width, 1000));
        return b.build();
    }

    /**
     * ResNet-50 (He et al. 2016) on [N, 3, 224, 224]: bottleneck blocks (1x1, 3x3, 1x1 with expansion 4), stages of
     * 3, 4, 6, 3 blocks; 53 BatchNormalization layers with 26,560 channels. Random (seeded) weights.
     */
    public static ModelProto resnet50(int opset) {
        NetworkBuilder b = new NetworkBuilder(opset, 50);
        String x = b.input("image", -1, 3, 224, 224);
        x = b.maxPool(b.relu(b.batchNorm(b.conv(x, 3, 64, 7, 2, 2), 64)), 3, 2);
        int in = 64;
        int[] blocks = {3, 4, 6, 3};
        for (int stage = 0; stage < 4; stage++) {
            int mid = 64 << stage;
            int out = mid * 4;
            for (int block = 0; block < blocks[stage]; block++) {
                int stride = stage > 0 && block == 0 ? 2 : 1;
                String h = b.relu(b.batchNorm(b.conv(x, in, mid, 1, 1, 2), mid));
                h = b.relu(b.batchNorm(b.conv(h, mid, mid, 3, stride, 2), mid));
                h = b.batchNorm(b.conv(h, mid, out, 1, 1, 2), out);
                String shortcut = block == 0 ? b.batchNorm(b.conv(x, in, out, 1, stride, 2), out) : x;
                x = b.relu(b.add(h, shortcut));
                in = out;
            }
        }
        b.output(b.gemm(b.flatten(b.globalAveragePool(x)), in, 1000));
        return b.build();
    }

    /**
     * Conv-BN blocks over inputs of rank 3 (Conv1d), 4 (Conv2d) or 5 (Conv3d), then a rank-2 head with a BN on
     * the pooled features ("BatchNorm1d"). Input [N, 3, spatial...] with the given spatial size per axis.
     */
    public static ModelProto convNet(int opset, int rank, int spatial, long seed) {
        int spatialRank = rank - 2;
        NetworkBuilder b = new NetworkBuilder(opset, seed);
        long[] dims = new long[rank];
        dims[0] = -1;
        dims[1] = 3;
        java.util.Arrays.fill(dims, 2, rank, spatial);
        String x = b.input("input", dims);
        x = b.relu(b.batchNorm(b.conv(x, 3, 8, 3, 1, spatialRank), 8));
        x = b.relu(b.batchNorm(b.conv(x, 8, 8, 3, 2, spatialRank), 8));
        String pooled = b.flatten(b.globalAveragePool(x));
        String features = b.relu(b.batchNorm(b.gemm(pooled, 8, 6), 6));
        b.output(b.gemm(features, 6, 4));
        return b.build();
    }

    /** An MLP whose BN layers all see rank-2 inputs [N, C]. */
    public static ModelProto mlp(int opset, long seed) {
        NetworkBuilder b = new NetworkBuilder(opset, seed);
        String x = b.input("input", -1, 12);
        x = b.relu(b.batchNorm(b.gemm(x, 12, 16), 16));
        x = b.relu(b.batchNorm(b.gemm(x, 16, 8), 8));
        b.output(b.gemm(x, 8, 3));
        return b.build();
    }
}
