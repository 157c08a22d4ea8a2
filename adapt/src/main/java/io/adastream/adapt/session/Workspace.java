package io.adastream.adapt.session;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.adastream.adapt.onnx.AdaptiveModel;
import io.adastream.adapt.onnx.AdaptiveNames;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The reusable buffers of one thread for batches of a fixed size: model inputs, fed statistics, blend weights
 * and the pinned outputs. Fill it, call {@link #run()}, read the results; the results stay valid until the next
 * {@code run}. Not thread-safe: use one per thread.
 */
public final class Workspace implements AutoCloseable {

    private final AdaptiveSession session;
    private final AdaptiveModel model;
    private final int batchSize;
    private final int layers;
    private final int[] channels;

    private final Map<String, FloatBuffer> inputBuffers = new LinkedHashMap<>();
    private final Map<String, long[]> inputShapes = new HashMap<>();
    private final FloatBuffer[] fedMean;
    private final FloatBuffer[] fedVar;
    private final FloatBuffer blend;
    private final FloatBuffer[] momentMean;
    private final FloatBuffer[] momentVar;
    private final Map<String, FloatBuffer> pinnedModelOutputs = new HashMap<>();
    private final Map<String, long[]> pinnedModelOutputShapes = new HashMap<>();

    private final Map<String, OnnxTensor> feeds = new HashMap<>();
    private final Map<String, OnnxValue> pinned = new HashMap<>();
    /** The feeds and pinned outputs of the original model's own inputs and outputs (what a baked model reads and writes). */
    private final Map<String, OnnxTensor> modelFeeds = new HashMap<>();
    private final Map<String, OnnxValue> pinnedModel = new HashMap<>();
    private final Set<String> unpinnedOutputs = new HashSet<>();
    private OrtSession.Result lastResult;

    Workspace(AdaptiveSession session, int batchSize, Map<String, long[]> sampleShapes) throws OrtException {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        this.session = session;
        this.model = session.model();
        this.batchSize = batchSize;
        this.layers = model.layerCount();
        this.channels = model.channels();
        try {
            for (String input : model.modelInputs()) {
                long[] shape = batchShape(input, session.declaredShape(input), sampleShapes.get(input));
                FloatBuffer buf = direct(Math.toIntExact(product(shape)));
                inputBuffers.put(input, buf);
                inputShapes.put(input, shape);
                OnnxTensor tensor = OnnxTensor.createTensor(session.env(), buf, shape);
                feeds.put(input, tensor);
                modelFeeds.put(input, tensor);
            }
            fedMean = new FloatBuffer[layers];
            fedVar = new FloatBuffer[layers];
            momentMean = new FloatBuffer[layers];
            momentVar = new FloatBuffer[layers];
            for (int l = 0; l < layers; l++) {
                long[] shape = {batchSize, channels[l]};
                fedMean[l] = feed(AdaptiveNames.mean(l), shape);
                fedVar[l] = feed(AdaptiveNames.var(l), shape);
                momentMean[l] = pin(AdaptiveNames.momentMean(l), shape);
                momentVar[l] = pin(AdaptiveNames.momentVar(l), shape);
            }
            blend = feed(AdaptiveNames.BLEND, new long[]{batchSize, layers});
            for (String output : model.modelOutputs()) {
                long[] declared = session.declaredShape(output);
                if (isStaticAfterBatch(declared)) {
                    long[] shape = declared.clone();
                    shape[0] = batchSize;
                    pinnedModelOutputs.put(output, pin(output, shape));
                    pinnedModelOutputShapes.put(output, shape);
                    pinnedModel.put(output, pinned.get(output));
                } else {
                    unpinnedOutputs.add(output);
                }
            }
        } catch (OrtException | RuntimeException e) {
            close();
            throw e;
        }
    }

    public int batchSize() {
        return batchSize;
    }

    /** The direct buffer of a model input, laid out {@code [N, ...]} row-major; write frame i at i·sampleSize. */
    public FloatBuffer input(String name) {
        FloatBuffer b = inputBuffers.get(name);
        if (b == null) {
            throw new IllegalArgumentException("model has no input '" + name + "'; inputs: " + inputBuffers.keySet());
        }
        return b;
    }

    /** The direct buffer of the model's only input. */
    public FloatBuffer input() {
        if (inputBuffers.size() != 1) {
            throw new IllegalStateException("model has " + inputBuffers.size() + " inputs; name one");
        }
        return inputBuffers.values().iterator().next();
    }

    /** The full shape {@code [N, ...]} of a model input. */
    public long[] inputShape(String name) {
        return inputShapes.get(name).clone();
    }

    /** Sets the statistics frame {@code frame} is normalized with at layer {@code layer}. */
    public void setStatistics(int frame, int layer, float[] mean, float[] var) {
        int c = channels[layer];
        if (mean.length != c || var.length != c) {
            throw new IllegalArgumentException("layer " + layer + " has " + c + " channels, got " + mean.length
                    + " means and " + var.length + " variances");
        }
        fedMean[layer].put(frame * c, mean);
        fedVar[layer].put(frame * c, var);
    }

    /** Sets frame {@code frame}'s blend weight for one layer. */
    public void setBlend(int frame, int layer, float weight) {
        blend.put(frame * layers + layer, weight);
    }

    /** Sets frame {@code frame}'s blend weight of every layer. */
    public void setBlend(int frame, float[] perLayer) {
        if (perLayer.length != layers) {
            throw new IllegalArgumentException("expected " + layers + " blend weights, got " + perLayer.length);
        }
        blend.put(frame * layers, perLayer);
    }

    /** Runs the batch. Results are readable until the next call. */
    public void run() throws OrtException {
        if (lastResult != null) {
            lastResult.close();
            lastResult = null;
        }
        OrtSession ort = session.ort();
        lastResult = ort.run(feeds, unpinnedOutputs, pinned);
    }

    /**
     * Runs a plain session of the same model (a {@link BakedSession}: same inputs and outputs, no AdaStream names)
     * over this workspace's model inputs, writing the model outputs where {@link #output} reads them. The moments and
     * fed statistics are left as they are. Results are readable until the next run.
     */
    void runPlain(OrtSession plain) throws OrtException {
        if (lastResult != null) {
            lastResult.close();
            lastResult = null;
        }
        lastResult = plain.run(modelFeeds, unpinnedOutputs, pinnedModel);
    }

    /** Copies frame {@code frame}'s moments of layer {@code layer} (mean, population variance) into the arrays. */
    public void copyMoments(int frame, int layer, float[] meanOut, float[] varOut) {
        int c = channels[layer];
        momentMean[layer].get(frame * c, meanOut, 0, c);
        momentVar[layer].get(frame * c, varOut, 0, c);
    }

    /** Read-only view of a layer's moment means, {@code [N, C]} row-major. */
    public FloatBuffer momentMean(int layer) {
        return momentMean[layer].asReadOnlyBuffer();
    }

    /** Read-only view of a layer's moment variances, {@code [N, C]} row-major. */
    public FloatBuffer momentVar(int layer) {
        return momentVar[layer].asReadOnlyBuffer();
    }

    /** A model output of the last run, {@code [N, ...]} row-major, read-only. */
    public FloatBuffer output(String name) throws OrtException {
        FloatBuffer b = pinnedModelOutputs.get(name);
        if (b != null) {
            return b.asReadOnlyBuffer();
        }
        return ((OnnxTensor) lastResultValue(name)).getFloatBuffer();
    }

    /** The shape of a model output of the last run. */
    public long[] outputShape(String name) throws OrtException {
        long[] s = pinnedModelOutputShapes.get(name);
        if (s != null) {
            return s.clone();
        }
        return ((OnnxTensor) lastResultValue(name)).getInfo().getShape();
    }

    private OnnxValue lastResultValue(String name) {
        if (lastResult == null) {
            throw new IllegalStateException("run() has not been called");
        }
        return lastResult.get(name).orElseThrow(() -> new IllegalArgumentException("no model output '" + name + "'"));
    }

    private FloatBuffer feed(String name, long[] shape) throws OrtException {
        FloatBuffer buf = direct(Math.toIntExact(product(shape)));
        feeds.put(name, OnnxTensor.createTensor(session.env(), buf, shape));
        return buf;
    }

    private FloatBuffer pin(String name, long[] shape) throws OrtException {
        FloatBuffer buf = direct(Math.toIntExact(product(shape)));
        pinned.put(name, OnnxTensor.createTensor(session.env(), buf, shape));
        return buf;
    }

    private long[] batchShape(String input, long[] declared, long[] sample) {
        long[] shape = declared.clone();
        if (sample != null) {
            if (sample.length != declared.length - 1) {
                throw new IllegalArgumentException("input '" + input + "' has rank " + declared.length
                        + "; its sample shape needs " + (declared.length - 1) + " dimensions, got " + Arrays.toString(sample));
            }
            System.arraycopy(sample, 0, shape, 1, sample.length);
        }
        if (shape.length == 0) {
            throw new IllegalArgumentException("input '" + input + "' is a scalar; expected a batch dimension");
        }
        shape[0] = batchSize;
        for (long d : shape) {
            if (d <= 0) {
                throw new IllegalArgumentException("input '" + input + "' has dynamic dimensions "
                        + Arrays.toString(declared) + "; give its sample shape");
            }
        }
        return shape;
    }

    private static boolean isStaticAfterBatch(long[] shape) {
        if (shape.length == 0) {
            return false;
        }
        for (int i = 1; i < shape.length; i++) {
            if (shape[i] <= 0) {
                return false;
            }
        }
        return true;
    }

    static long product(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    static FloatBuffer direct(int floats) {
        return ByteBuffer.allocateDirect(floats * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    @Override
    public void close() {
        if (lastResult != null) {
            lastResult.close();
            lastResult = null;
        }
        feeds.values().forEach(OnnxTensor::close);
        pinned.values().forEach(OnnxValue::close);
        feeds.clear();
        pinned.clear();
        modelFeeds.clear();
        pinnedModel.clear();
    }
}
