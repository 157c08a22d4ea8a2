package io.adastream.adapt.calibrate;

import ai.onnx.proto.OnnxMl.ModelProto;
import io.adastream.adapt.testing.NetworkBuilder;

/** Small seeded networks with every kind of convolution calibration distinguishes. */
final class CalibrationNetworks {

    static final long[] SAMPLE = {3, 16, 16};

    private CalibrationNetworks() {
    }

    /**
     * conv0 + BN + ReLU (normalized); conv1 + ReLU; conv2 straight into conv3 (the depthwise position); conv3 into a
     * residual Add; conv4 after global pooling (squeeze-and-excitation: one position); conv5 the head.
     */
    static ModelProto mixed(int opset, long seed) {
        NetworkBuilder b = new NetworkBuilder(opset, seed);
        String x = b.input("image", -1, 3, 16, 16);
        String a = b.relu(b.batchNorm(b.conv(x, 3, 8, 3, 1, 2), 8));
        String c1 = b.relu(b.conv(a, 8, 8, 3, 1, 2));
        String c2 = b.conv(c1, 8, 8, 3, 2, 2);
        String c3 = b.relu(b.add(b.conv(c2, 8, 8, 1, 1, 2), b.maxPool(c1, 3, 2)));
        String se = b.conv(b.globalAveragePool(c3), 8, 8, 1, 1, 2);
        String scaled = b.add(c3, se);
        b.output(b.conv(scaled, 8, 4, 1, 1, 2));
        return b.build();
    }

    /** Every convolution but the head followed by a BatchNormalization: a model as trained, before folding. */
    static ModelProto kept(int opset, long seed) {
        NetworkBuilder b = new NetworkBuilder(opset, seed);
        String x = b.input("image", -1, 3, 16, 16);
        String a = b.relu(b.batchNorm(b.conv(x, 3, 8, 3, 1, 2), 8));
        String c = b.batchNorm(b.conv(a, 8, 8, 3, 2, 2), 8);
        String d = b.relu(b.add(b.batchNorm(b.conv(c, 8, 8, 1, 1, 2), 8), b.maxPool(a, 3, 2)));
        b.output(b.conv(d, 8, 4, 1, 1, 2));
        return b.build();
    }
}
