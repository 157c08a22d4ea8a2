package io.adastream.adapt.testing;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.OrtException;
import io.adastream.adapt.onnx.AdaptiveGraphRewriter;
import io.adastream.adapt.onnx.AdaptiveModel;
import io.adastream.adapt.onnx.BatchNormLayer;
import io.adastream.adapt.onnx.ModelFormatException;
import io.adastream.adapt.onnx.OnnxModel;
import io.adastream.adapt.session.AdaptiveSession;
import io.adastream.adapt.session.SessionConfig;
import io.adastream.adapt.session.Workspace;
import io.adastream.adapt.stats.FrameMoments;
import io.adastream.adapt.stats.PooledMoments;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Offline AdaBN on raw input tensors, as the evaluation's oracle computes it (StreamReplay.oracle): pass k runs
 * every frame through the adaptive graph at blend 0 with the statistics of pass k−1 and pools the frames' moments
 * exactly; iterated from the source statistics to the fixed point (regime B of ALGORITHMS.md 1.4). One frame per
 * run, so it works with models whose batch dimension is fixed at 1. A statistic that overflows in an intermediate
 * pass restarts from its source value (the adaptive graph measures moments shifted by the fed mean).
 */
public final class OfflineAdaBn implements AutoCloseable {

    private final AdaptiveModel adaptive;
    private final AdaptiveSession session;
    private final Workspace ws;
    private final String input;
    private int passes;

    public OfflineAdaBn(ModelProto model, long[] sampleShape, int threads) throws ModelFormatException, OrtException {
        this.adaptive = AdaptiveGraphRewriter.rewrite(OnnxModel.of(model));
        this.session = AdaptiveSession.open(adaptive, SessionConfig.cpu().withIntraOpThreads(threads));
        this.input = adaptive.modelInputs().get(0);
        this.ws = session.newWorkspace(1, Map.of(input, sampleShape));
    }

    public AdaptiveModel adaptive() {
        return adaptive;
    }

    /** Passes the last {@link #fixedPoint} made. */
    public int passes() {
        return passes;
    }

    /** {mean[layer][channel], var[layer][channel]} of the model's own BatchNorm nodes. */
    public float[][][] sourceStatistics() {
        List<BatchNormLayer> layers = adaptive.layers();
        float[][][] out = new float[2][layers.size()][];
        for (int l = 0; l < layers.size(); l++) {
            out[0][l] = layers.get(l).sourceMean().clone();
            out[1][l] = layers.get(l).sourceVar().clone();
        }
        return out;
    }

    /** One pass: every frame at blend 0 with {@code statistics}, moments pooled over frames and positions. */
    public float[][][] pooledMoments(List<float[]> frames, float[][][] statistics) throws OrtException {
        int n = adaptive.layerCount();
        int[] channels = adaptive.channels();
        FrameMoments moments = new FrameMoments(channels);
        PooledMoments pooled = new PooledMoments(channels);
        for (float[] frame : frames) {
            feed(frame, statistics);
            ws.run();
            for (int l = 0; l < n; l++) {
                ws.copyMoments(0, l, moments.mean(l), moments.var(l));
            }
            pooled.add(moments);
        }
        float[][][] out = new float[2][n][];
        List<BatchNormLayer> layers = adaptive.layers();
        for (int l = 0; l < n; l++) {
            out[0][l] = toFloat(pooled.mean(l));
            out[1][l] = toFloat(pooled.var(l));
            for (int c = 0; c < channels[l]; c++) {
                // an intermediate pass can overflow downstream of layers not yet at their fixed point; a non-finite
                // fed mean would poison its own (mean-shifted) measurement for good, so restart it from the source
                if (!Float.isFinite(out[0][l][c]) || !Float.isFinite(out[1][l][c])) {
                    out[0][l][c] = layers.get(l).sourceMean()[c];
                    out[1][l][c] = layers.get(l).sourceVar()[c];
                }
            }
        }
        return out;
    }

    /**
     * The AdaBN statistics of {@code frames}: iterated from the source statistics until no statistic moves by more
     * than {@code tolerance} relative to its value, at most one pass per layer (which reaches the exact fixed point).
     */
    public float[][][] fixedPoint(List<float[]> frames, double tolerance) throws OrtException {
        float[][][] statistics = sourceStatistics();
        passes = 0;
        for (int pass = 0; pass < adaptive.layerCount(); pass++) {
            float[][][] next = pooledMoments(frames, statistics);
            passes++;
            boolean converged = largestRelativeChange(statistics, next) < tolerance;
            statistics = next;
            if (converged) {
                break;
            }
        }
        return statistics;
    }

    /** The named output of every frame predicted with {@code statistics} at blend 0. */
    public List<float[]> outputs(List<float[]> frames, float[][][] statistics, String output) throws OrtException {
        return outputs(frames, statistics, List.of(output)).stream().map(o -> o[0]).toList();
    }

    /** The named outputs ([frame][output][values]) of every frame predicted with {@code statistics} at blend 0. */
    public List<float[][]> outputs(List<float[]> frames, float[][][] statistics, List<String> names) throws OrtException {
        List<float[][]> out = new ArrayList<>();
        for (float[] frame : frames) {
            feed(frame, statistics);
            ws.run();
            float[][] values = new float[names.size()][];
            for (int k = 0; k < names.size(); k++) {
                FloatBuffer b = ws.output(names.get(k));
                values[k] = new float[b.remaining()];
                b.get(values[k]);
            }
            out.add(values);
        }
        return out;
    }

    private void feed(float[] frame, float[][][] statistics) {
        ws.input(input).put(0, frame);
        for (int l = 0; l < adaptive.layerCount(); l++) {
            ws.setStatistics(0, l, statistics[0][l], statistics[1][l]);
            ws.setBlend(0, l, 0f);
        }
    }

    static double largestRelativeChange(float[][][] a, float[][][] b) {
        double worst = 0;
        for (int k = 0; k < 2; k++) {
            for (int l = 0; l < a[k].length; l++) {
                for (int c = 0; c < a[k][l].length; c++) {
                    worst = Math.max(worst, Math.abs(b[k][l][c] - a[k][l][c]) / Math.max(Math.abs(a[k][l][c]), 1e-6));
                }
            }
        }
        return worst;
    }

    private static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    @Override
    public void close() throws OrtException {
        ws.close();
        session.close();
    }
}
