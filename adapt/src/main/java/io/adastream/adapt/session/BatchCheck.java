package io.adastream.adapt.session;

import ai.onnxruntime.OrtException;
import io.adastream.adapt.onnx.AdaptiveModel;
import io.adastream.adapt.onnx.BatchNormLayer;

import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Random;

/**
 * Proves that an adaptive session runs batches: two frames with different statistics and blend weights run as one
 * batch of 2 must give, output by output and moment by moment, what two runs of one frame give (the known answer).
 * A graph that fixes its batch to 1 fails here, by an ONNX Runtime error or by different numbers.
 */
public final class BatchCheck {

    /** Largest difference allowed, relative to the batch-1 value's magnitude plus one (batched kernels round differently). */
    static final double TOLERANCE = 1e-3;

    /** The verdict: whether batches are exact, and if not, why (one line). */
    public record Result(boolean batchable, String reason) {
    }

    private BatchCheck() {
    }

    /**
     * Runs the check.
     *
     * @param sampleShapes per model input with dynamic per-sample dimensions, the shape of one sample (without N)
     */
    public static Result run(AdaptiveSession session, Map<String, long[]> sampleShapes) {
        AdaptiveModel model = session.model();
        try (Workspace pair = session.newWorkspace(2, sampleShapes);
             Workspace single = session.newWorkspace(1, sampleShapes)) {
            Random random = new Random(20240613L);
            float[][][] inputs = new float[2][model.modelInputs().size()][];
            for (int f = 0; f < 2; f++) {
                for (int i = 0; i < model.modelInputs().size(); i++) {
                    String name = model.modelInputs().get(i);
                    int size = pair.input(name).capacity() / 2;
                    inputs[f][i] = new float[size];
                    for (int k = 0; k < size; k++) {
                        inputs[f][i][k] = (float) random.nextGaussian();
                    }
                    pair.input(name).put(f * size, inputs[f][i]);
                }
                feedStatistics(pair, f, model, f);
            }
            pair.run();
            for (int f = 0; f < 2; f++) {
                for (int i = 0; i < model.modelInputs().size(); i++) {
                    single.input(model.modelInputs().get(i)).put(0, inputs[f][i]);
                }
                feedStatistics(single, 0, model, f);
                single.run();
                for (String output : model.modelOutputs()) {
                    String diff = compare(output, single.output(output), pair.output(output), f);
                    if (diff != null) {
                        return new Result(false, diff);
                    }
                }
                for (BatchNormLayer l : model.layers()) {
                    String diff = compare("moment mean " + l.index(), single.momentMean(l.index()), pair.momentMean(l.index()), f);
                    if (diff == null) {
                        diff = compare("moment variance " + l.index(), single.momentVar(l.index()), pair.momentVar(l.index()), f);
                    }
                    if (diff != null) {
                        return new Result(false, diff);
                    }
                }
            }
            return new Result(true, "a batch of 2 gives what two runs of 1 give");
        } catch (OrtException | RuntimeException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
            return new Result(false, "ONNX Runtime cannot run it at batch 2: " + why);
        }
    }

    /** Frame 0 gets the source statistics and blend 0.25; frame 1 shifted statistics and blend 0.5. */
    private static void feedStatistics(Workspace ws, int slot, AdaptiveModel model, int frame) {
        for (BatchNormLayer l : model.layers()) {
            float[] mean = l.sourceMean().clone();
            float[] var = l.sourceVar().clone();
            for (int c = 0; c < mean.length; c++) {
                mean[c] += frame * 0.3f;
                var[c] *= 1 + frame * 0.5f;
            }
            ws.setStatistics(slot, l.index(), mean, var);
            ws.setBlend(slot, l.index(), 0.25f * (1 + frame));
        }
    }

    /** Null when frame {@code frame} of the batch matches the single run; else what differs. */
    private static String compare(String what, FloatBuffer single, FloatBuffer batch, int frame) {
        int n = single.remaining();
        if (batch.remaining() != 2 * n) {
            return "its " + what + " has " + batch.remaining() + " values at batch 2, " + n + " at batch 1";
        }
        for (int k = 0; k < n; k++) {
            double a = single.get(single.position() + k);
            double b = batch.get(batch.position() + frame * n + k);
            if (!(Math.abs(a - b) <= TOLERANCE * (1 + Math.abs(a)))) {
                return "its " + what + " of frame " + frame + " differs at batch 2 (" + b + " against " + a + " at batch 1)";
            }
        }
        return null;
    }
}
