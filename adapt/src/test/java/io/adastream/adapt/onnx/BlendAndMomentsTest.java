package io.adastream.adapt.onnx;

import io.adastream.adapt.onnx.AdaptiveGraphRewriter.SecondMoment;
import io.adastream.adapt.session.AdaptiveSession;
import io.adastream.adapt.session.SessionConfig;
import io.adastream.adapt.session.Workspace;
import io.adastream.adapt.testing.Arrays2;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.FloatBuffer;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Blend weights above zero and the moment outputs, checked against plain-Java computations in double. */
class BlendAndMomentsTest {

    /** Opsets on both sides of ReduceSum's (13) and the other reductions' (18) axes-as-input change, every rank, both forms. */
    static Stream<Arguments> chains() {
        Stream.Builder<Arguments> s = Stream.builder();
        for (SecondMoment form : SecondMoment.values()) {
            for (int opset : new int[]{9, 13, 15, 18, 21}) {
                for (int spatialRank = 0; spatialRank <= 3; spatialRank++) {
                    s.add(Arguments.of(opset, spatialRank, form));
                }
            }
        }
        return s.build();
    }

    @ParameterizedTest(name = "opset {0}, rank {1}+2, {2}")
    @MethodSource("chains")
    void weightOneIsTrainingModeBatchNormOfEachSample(int opset, int spatialRank, SecondMoment form) throws Exception {
        BnChain chain = new BnChain(opset, 5, spatialRank, 11L * opset + spatialRank);
        int batch = 3;
        int s = chain.spatialSize();
        int sample = chain.channels * s;
        Random r = new Random(3);
        float[] x = Arrays2.gaussian(r, batch * sample, 0.5, 2.0);
        float[][] fedMean = {Arrays2.gaussian(r, 5, 0, 1), Arrays2.gaussian(r, 5, 0, 1)};
        float[][] fedVar = {uniform(r, 5), uniform(r, 5)};
        try (Fixture f = new Fixture(chain, batch, form)) {
            f.ws.input().put(0, x);
            for (int i = 0; i < batch; i++) {
                f.feed(i, fedMean, fedVar, new float[]{1f, 1f});
            }
            f.ws.run();
            float[] bn1 = f.output(chain.bn1Output);
            for (int i = 0; i < batch; i++) {
                double[] xi = toDouble(x, i * sample, sample);
                double[] h = BnChain.trainingModeBatchNorm(xi, chain.channels, s, chain.scale[0], chain.bias[0], chain.epsilon[0]);
                for (int c = 0; c < chain.channels; c++) {
                    for (int k = 0; k < s; k++) {
                        h[c * s + k] = Math.max(0, h[c * s + k]) * chain.factor[c];
                    }
                }
                double[] expected = BnChain.trainingModeBatchNorm(h, chain.channels, s, chain.scale[1], chain.bias[1], chain.epsilon[1]);
                double diff = Arrays2.maxScaledDiff(slice(bn1, i * sample, sample), expected);
                assertTrue(diff <= 1e-4, "frame " + i + ": max diff " + diff);
            }
        }
    }

    @ParameterizedTest(name = "opset {0}, rank {1}+2, {2}")
    @MethodSource("chains")
    void partialBlendAndMomentsMatchThePlainJavaFormulas(int opset, int spatialRank, SecondMoment form) throws Exception {
        BnChain chain = new BnChain(opset, 4, spatialRank, 7L * opset + spatialRank);
        int batch = 3;
        int sample = chain.channels * chain.spatialSize();
        Random r = new Random(opset);
        float[] x = Arrays2.gaussian(r, batch * sample, -0.2, 1.5);
        float[][][] fedMean = new float[batch][][];
        float[][][] fedVar = new float[batch][][];
        float[][] blends = new float[batch][];
        try (Fixture f = new Fixture(chain, batch, form)) {
            f.ws.input().put(0, x);
            for (int i = 0; i < batch; i++) {
                fedMean[i] = new float[][]{Arrays2.gaussian(r, 4, 0, 1), Arrays2.gaussian(r, 4, 0.5, 1)};
                fedVar[i] = new float[][]{uniform(r, 4), uniform(r, 4)};
                blends[i] = new float[]{(float) r.nextDouble(), (float) r.nextDouble()};
                f.feed(i, fedMean[i], fedVar[i], blends[i]);
            }
            f.ws.run();
            float[] y = f.output(chain.output);
            float[] bn1 = f.output(chain.bn1Output);
            for (int i = 0; i < batch; i++) {
                double[][] ref = chain.evaluate(slice(x, i * sample, sample), fedMean[i], fedVar[i], blends[i]);
                assertTrue(Arrays2.maxScaledDiff(slice(y, i * sample, sample), ref[0]) <= 1e-4);
                assertTrue(Arrays2.maxScaledDiff(slice(bn1, i * sample, sample), ref[1]) <= 1e-4);
                assertMoments(f.ws, i, 0, ref[2], ref[3], 1e-5);
                assertMoments(f.ws, i, 1, ref[4], ref[5], 1e-5);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(SecondMoment.class)
    void momentsKeepTheVarianceWhenTheMeanIsAThousandStandardDeviations(SecondMoment form) throws Exception {
        BnChain chain = new BnChain(13, 3, 2, 5);
        int sample = chain.channels * chain.spatialSize();
        Random r = new Random(9);
        float[] x = Arrays2.gaussian(r, sample, 5000, 5);
        // the domain's statistics track the data, so the fed mean is near (not equal to) the sample mean
        float[][] fedMean = {{5003, 4998, 5001}, {0, 0, 0}};
        float[][] fedVar = {{25, 25, 25}, {1, 1, 1}};
        try (Fixture f = new Fixture(chain, 1, form)) {
            f.ws.input().put(0, x);
            f.feed(0, fedMean, fedVar, new float[]{0f, 0f});
            f.ws.run();
            double[][] ref = BnChain.moments(toDouble(x, 0, sample), chain.channels, chain.spatialSize());
            float[] m = new float[3];
            float[] v = new float[3];
            f.ws.copyMoments(0, 0, m, v);
            for (int c = 0; c < 3; c++) {
                assertEquals(ref[0][c], m[c], 1e-6 * 5000, "mean of channel " + c);
                assertEquals(ref[1][c], v[c], 1e-4 * ref[1][c], "variance of channel " + c);
                assertTrue(ref[1][c] > 5, "the test data has a real variance");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(SecondMoment.class)
    void aBatchMixingDomainsEqualsRunningEachFrameAlone(SecondMoment form) throws Exception {
        BnChain chain = new BnChain(15, 6, 2, 21);
        int batch = 4;
        int sample = chain.channels * chain.spatialSize();
        Random r = new Random(4);
        float[] x = Arrays2.gaussian(r, batch * sample, 0, 1);
        float[][][] mean = new float[batch][][];
        float[][][] var = new float[batch][][];
        float[][] blend = new float[batch][];
        for (int i = 0; i < batch; i++) {
            mean[i] = new float[][]{Arrays2.gaussian(r, 6, 0, 1), Arrays2.gaussian(r, 6, 0, 1)};
            var[i] = new float[][]{uniform(r, 6), uniform(r, 6)};
            blend[i] = new float[]{i * 0.25f, 1 - i * 0.25f};
        }
        try (Fixture together = new Fixture(chain, batch, form); Fixture alone = new Fixture(chain, 1, form)) {
            together.ws.input().put(0, x);
            for (int i = 0; i < batch; i++) {
                together.feed(i, mean[i], var[i], blend[i]);
            }
            together.ws.run();
            float[] all = together.output(chain.output);
            float[] m = new float[6];
            float[] v = new float[6];
            float[] m1 = new float[6];
            float[] v1 = new float[6];
            for (int i = 0; i < batch; i++) {
                alone.ws.input().put(0, slice(x, i * sample, sample));
                alone.feed(0, mean[i], var[i], blend[i]);
                alone.ws.run();
                float[] single = alone.output(chain.output);
                assertTrue(Arrays2.maxScaledDiff(slice(all, i * sample, sample), single) <= 1e-6, "frame " + i);
                for (int l = 0; l < 2; l++) {
                    together.ws.copyMoments(i, l, m, v);
                    alone.ws.copyMoments(0, l, m1, v1);
                    assertTrue(Arrays2.maxScaledDiff(m, m1) <= 1e-6 && Arrays2.maxScaledDiff(v, v1) <= 1e-6);
                }
            }
        }
    }

    private static void assertMoments(Workspace ws, int frame, int layer, double[] mean, double[] var, double tol) {
        float[] m = new float[mean.length];
        float[] v = new float[var.length];
        ws.copyMoments(frame, layer, m, v);
        assertTrue(Arrays2.maxScaledDiff(m, mean) <= tol, "mean of layer " + layer + " frame " + frame);
        assertTrue(Arrays2.maxScaledDiff(v, var) <= tol, "variance of layer " + layer + " frame " + frame);
    }

    /** An adaptive session and workspace over a chain model. */
    private static final class Fixture implements AutoCloseable {
        final AdaptiveSession session;
        final Workspace ws;

        Fixture(BnChain chain, int batch, SecondMoment form) throws Exception {
            session = AdaptiveSession.open(AdaptiveGraphRewriter.rewrite(OnnxModel.of(chain.model), form),
                    SessionConfig.cpu().withIntraOpThreads(1));
            ws = session.newWorkspace(batch);
        }

        void feed(int frame, float[][] mean, float[][] var, float[] blend) {
            for (int l = 0; l < 2; l++) {
                ws.setStatistics(frame, l, mean[l], var[l]);
            }
            ws.setBlend(frame, blend);
        }

        float[] output(String name) throws Exception {
            FloatBuffer b = ws.output(name);
            float[] out = new float[b.remaining()];
            b.get(out);
            return out;
        }

        @Override
        public void close() throws Exception {
            ws.close();
            session.close();
        }
    }

    private static float[] uniform(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (0.5 + 1.5 * r.nextDouble());
        }
        return v;
    }

    static float[] slice(float[] a, int from, int len) {
        return java.util.Arrays.copyOfRange(a, from, from + len);
    }

    static double[] toDouble(float[] a, int from, int len) {
        double[] d = new double[len];
        for (int i = 0; i < len; i++) {
            d[i] = a[from + i];
        }
        return d;
    }
}
