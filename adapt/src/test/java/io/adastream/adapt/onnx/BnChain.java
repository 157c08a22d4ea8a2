package io.adastream.adapt.onnx;

import ai.onnx.proto.OnnxMl.ModelProto;
import io.adastream.adapt.testing.NetworkBuilder;

import java.util.Random;

/**
 * X → BN0 → ReLU → ×f → BN1 → ReLU, with BN1's output also a graph output: simple enough to evaluate in plain
 * Java, so it is the independent oracle for blend weights above zero.
 */
final class BnChain {

    final int channels;
    final int spatialRank;
    final float[][] scale = new float[2][];
    final float[][] bias = new float[2][];
    final float[][] mean = new float[2][];
    final float[][] var = new float[2][];
    final float[] epsilon = {1e-5f, 1e-2f};
    final float[] factor;
    final ModelProto model;
    final String bn1Output;
    final String output;

    BnChain(int opset, int channels, int spatialRank, long seed) {
        this.channels = channels;
        this.spatialRank = spatialRank;
        Random r = new Random(seed);
        for (int l = 0; l < 2; l++) {
            scale[l] = uniform(r, channels, 0.5, 1.5);
            bias[l] = uniform(r, channels, -0.3, 0.3);
            mean[l] = uniform(r, channels, -0.5, 0.5);
            var[l] = uniform(r, channels, 0.5, 2.0);
        }
        factor = uniform(r, channels, 0.5, 2.0);
        NetworkBuilder b = new NetworkBuilder(opset, seed);
        long[] dims = new long[2 + spatialRank];
        dims[0] = -1;
        dims[1] = channels;
        for (int i = 0; i < spatialRank; i++) {
            dims[2 + i] = 3 + i;
        }
        String x = b.input("x", dims);
        x = b.relu(b.batchNorm(x, scale[0], bias[0], mean[0], var[0], epsilon[0]));
        x = b.mulChannels(x, factor, spatialRank);
        bn1Output = b.batchNorm(x, scale[1], bias[1], mean[1], var[1], epsilon[1]);
        output = b.relu(bn1Output);
        b.output(output);
        b.output(bn1Output);
        model = b.build();
    }

    int spatialSize() {
        int s = 1;
        for (int i = 0; i < spatialRank; i++) {
            s *= 3 + i;
        }
        return s;
    }

    /** Per-sample moments, in double, two-pass. Returns {mean[C], var[C]}. */
    static double[][] moments(double[] x, int channels, int spatial) {
        double[] m = new double[channels];
        double[] v = new double[channels];
        for (int c = 0; c < channels; c++) {
            double sum = 0;
            for (int s = 0; s < spatial; s++) {
                sum += x[c * spatial + s];
            }
            m[c] = sum / spatial;
            double sq = 0;
            for (int s = 0; s < spatial; s++) {
                double d = x[c * spatial + s] - m[c];
                sq += d * d;
            }
            v[c] = sq / spatial;
        }
        return new double[][]{m, v};
    }

    /**
     * Evaluates one sample in double. Layer l normalizes with the moment-exact blend of the fed (mu, var) and the
     * sample's own moments with weight b[l] (docs/algorithms.md §1.2). Returns {y, bn1, m0, v0, m1, v1}.
     */
    double[][] evaluate(float[] sample, float[][] fedMean, float[][] fedVar, float[] b) {
        int s = spatialSize();
        double[] x = new double[sample.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = sample[i];
        }
        double[][] m0 = moments(x, channels, s);
        double[] h = normalize(x, 0, m0, fedMean[0], fedVar[0], b[0]);
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < s; i++) {
                h[c * s + i] = Math.max(0, h[c * s + i]) * factor[c];
            }
        }
        double[][] m1 = moments(h, channels, s);
        double[] bn1 = normalize(h, 1, m1, fedMean[1], fedVar[1], b[1]);
        double[] y = new double[bn1.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = Math.max(0, bn1[i]);
        }
        return new double[][]{y, bn1, m0[0], m0[1], m1[0], m1[1]};
    }

    private double[] normalize(double[] x, int l, double[][] own, float[] mu, float[] sigma2, float b) {
        int s = spatialSize();
        double[] y = new double[x.length];
        for (int c = 0; c < channels; c++) {
            double delta = own[0][c] - mu[c];
            double blendedMean = mu[c] + b * delta;
            double blendedVar = (1 - b) * sigma2[c] + b * own[1][c] + b * (1 - b) * delta * delta;
            double k = scale[l][c] / Math.sqrt(blendedVar + epsilon[l]);
            for (int i = 0; i < s; i++) {
                y[c * s + i] = (x[c * s + i] - blendedMean) * k + bias[l][c];
            }
        }
        return y;
    }

    /** Training-mode BatchNormalization of one sample: normalized with its own mean and population variance. */
    static double[] trainingModeBatchNorm(double[] x, int channels, int spatial, float[] scale, float[] bias, float eps) {
        double[][] mv = moments(x, channels, spatial);
        double[] y = new double[x.length];
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < spatial; i++) {
                y[c * spatial + i] = scale[c] * (x[c * spatial + i] - mv[0][c]) / Math.sqrt(mv[1][c] + eps) + bias[c];
            }
        }
        return y;
    }

    private static float[] uniform(Random r, int n, double lo, double hi) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (lo + r.nextDouble() * (hi - lo));
        }
        return v;
    }
}
