package io.adastream.adapt.session;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.adastream.adapt.onnx.AdaptiveModel;
import io.adastream.adapt.onnx.AdaptiveNames;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The reusable buffers of one thread for batches of a fixed size: model inputs, fed statistics, blend weights
 * and the pinned outputs. Fill it, call {@link #run()}, read the results; the results stay valid until the next
 * {@code run}. Model outputs of static shape (after the batch dimension) are pinned in buffers of their own element
 * type, float, int64 or int32 ({@link #outputType}); outputs of another type are not fetched. Not thread-safe: use
 * one per thread.
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
    private final Map<String, LongBuffer> pinnedLongOutputs = new HashMap<>();
    private final Map<String, IntBuffer> pinnedIntOutputs = new HashMap<>();
    private final Map<String, long[]> pinnedModelOutputShapes = new HashMap<>();
    private final Map<String, OnnxJavaType> outputTypes = new HashMap<>();

    private final Map<String, OnnxTensor> feeds = new HashMap<>();
    private final Map<String, OnnxValue> pinned = new HashMap<>();
    /** The feeds and pinned outputs of the original model's own inputs and outputs (what a baked model reads and writes). */
    private final Map<String, OnnxTensor> modelFeeds = new HashMap<>();
    private final Map<String, OnnxValue> pinnedModel = new HashMap<>();
    private final Set<String> unpinnedOutputs = new HashSet<>();
    /** Outputs with dynamic dimensions copied in from another workspace's run ({@link #copyResultsFrom}). */
    private final Map<String, FloatBuffer> receivedOutputs = new HashMap<>();
    private final Map<String, long[]> receivedShapes = new HashMap<>();
    private boolean resultsReceived;
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
                OnnxJavaType type = session.outputElementType(output);
                outputTypes.put(output, type);
                if (!readable(type)) {
                    continue;
                }
                if (isStaticAfterBatch(declared)) {
                    long[] shape = declared.clone();
                    shape[0] = batchSize;
                    switch (type) {
                        case INT64 -> pinnedLongOutputs.put(output, pinLongs(output, shape));
                        case INT32 -> pinnedIntOutputs.put(output, pinInts(output, shape));
                        default -> pinnedModelOutputs.put(output, pin(output, shape));
                    }
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

    /** The model outputs this workspace holds in no fixed buffer (dynamic dimensions after the batch). */
    public Set<String> unpinnedOutputs() {
        return Set.copyOf(unpinnedOutputs);
    }

    /**
     * Copies what frame {@code frame} is fed (its model inputs, statistics and blend weights) into frame {@code slot}
     * of {@code target}, a workspace of the same model: how a batch is assembled from the frames of many callers.
     */
    public void copyFeedsTo(int frame, Workspace target, int slot) {
        for (Map.Entry<String, FloatBuffer> e : inputBuffers.entrySet()) {
            copyFrame(e.getValue(), batchSize, frame, target.input(e.getKey()), target.batchSize, slot);
        }
        for (int l = 0; l < layers; l++) {
            copyFrame(fedMean[l], batchSize, frame, target.fedMean[l], target.batchSize, slot);
            copyFrame(fedVar[l], batchSize, frame, target.fedVar[l], target.batchSize, slot);
        }
        copyFrame(blend, batchSize, frame, target.blend, target.batchSize, slot);
    }

    /**
     * Copies frame {@code slot}'s results of {@code source}'s last run (model outputs and moments) into frame
     * {@code frame} of this workspace, as if this workspace had run it: they are readable here until the next
     * {@link #run()} or copy. Outputs with dynamic dimensions land in buffers kept for the next copies.
     */
    public void copyResultsFrom(Workspace source, int slot, int frame) throws OrtException {
        for (Map.Entry<String, FloatBuffer> e : pinnedModelOutputs.entrySet()) {
            copyFrame(source.pinnedModelOutputs.get(e.getKey()), source.batchSize, slot, e.getValue(), batchSize, frame);
        }
        for (String name : unpinnedOutputs) {
            long[] shape = source.outputShape(name);
            long perFrame = product(shape) / shape[0];
            shape[0] = batchSize;
            FloatBuffer mine = receivedOutputs.get(name);
            if (mine == null || mine.capacity() != perFrame * batchSize) {
                mine = direct(Math.toIntExact(perFrame * batchSize));
                receivedOutputs.put(name, mine);
            }
            receivedShapes.put(name, shape);
            FloatBuffer theirs = source.output(name);
            mine.put(frame * (int) perFrame, theirs, theirs.position() + slot * (int) perFrame, (int) perFrame);
        }
        resultsReceived = !unpinnedOutputs.isEmpty();
        for (int l = 0; l < layers; l++) {
            copyFrame(source.momentMean[l], source.batchSize, slot, momentMean[l], batchSize, frame);
            copyFrame(source.momentVar[l], source.batchSize, slot, momentVar[l], batchSize, frame);
        }
    }

    /** Copies frame {@code from} of a buffer laid out {@code [fromBatch, ...]} to frame {@code to} of one laid out {@code [toBatch, ...]}. */
    private static void copyFrame(FloatBuffer src, int fromBatch, int from, FloatBuffer dst, int toBatch, int to) {
        int n = src.capacity() / fromBatch;
        if (dst.capacity() / toBatch != n) {
            throw new IllegalArgumentException("frames of " + n + " and " + dst.capacity() / toBatch + " values do not match");
        }
        dst.put(to * n, src, from * n, n);
    }

    /** Runs the batch. Results are readable until the next call. */
    public void run() throws OrtException {
        if (lastResult != null) {
            lastResult.close();
            lastResult = null;
        }
        resultsReceived = false;
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

    /**
     * The element type of a model output: {@code FLOAT}, {@code INT64} and {@code INT32} outputs are readable, through
     * {@link #output}, {@link #longOutput} and {@link #intOutput}; any other type is reported but never fetched.
     */
    public OnnxJavaType outputType(String name) {
        OnnxJavaType t = outputTypes.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no model output '" + name + "'; outputs: " + outputTypes.keySet());
        }
        return t;
    }

    /** Whether the workspace reads outputs of this element type. */
    public static boolean readable(OnnxJavaType type) {
        return type == OnnxJavaType.FLOAT || type == OnnxJavaType.INT64 || type == OnnxJavaType.INT32;
    }

    /** A float model output of the last run, {@code [N, ...]} row-major, read-only. */
    public FloatBuffer output(String name) throws OrtException {
        FloatBuffer b = pinnedModelOutputs.get(name);
        if (b != null) {
            return b.asReadOnlyBuffer();
        }
        requireType(name, OnnxJavaType.FLOAT);
        if (resultsReceived && receivedOutputs.containsKey(name)) {
            return receivedOutputs.get(name).asReadOnlyBuffer();
        }
        return ((OnnxTensor) lastResultValue(name)).getFloatBuffer();
    }

    /** An int64 model output of the last run, {@code [N, ...]} row-major, read-only. */
    public LongBuffer longOutput(String name) throws OrtException {
        LongBuffer b = pinnedLongOutputs.get(name);
        if (b != null) {
            return b.asReadOnlyBuffer();
        }
        requireType(name, OnnxJavaType.INT64);
        return ((OnnxTensor) lastResultValue(name)).getLongBuffer();
    }

    /** An int32 model output of the last run, {@code [N, ...]} row-major, read-only. */
    public IntBuffer intOutput(String name) throws OrtException {
        IntBuffer b = pinnedIntOutputs.get(name);
        if (b != null) {
            return b.asReadOnlyBuffer();
        }
        requireType(name, OnnxJavaType.INT32);
        return ((OnnxTensor) lastResultValue(name)).getIntBuffer();
    }

    /**
     * A copy of a readable model output of the last run as floats, whatever its element type (int64 values beyond
     * 2^24 lose precision). For tools that compare outputs, not for the per-frame path: it allocates.
     */
    public float[] outputAsFloats(String name) throws OrtException {
        return switch (outputType(name)) {
            case INT64 -> OutputFloats.of(longOutput(name));
            case INT32 -> OutputFloats.of(intOutput(name));
            default -> OutputFloats.of(output(name));
        };
    }

    private void requireType(String name, OnnxJavaType expected) {
        OnnxJavaType actual = outputType(name);
        if (actual != expected) {
            throw new IllegalArgumentException("model output '" + name + "' is " + actual + ", not " + expected
                    + (readable(actual) ? "" : "; the service reads FLOAT, INT64 and INT32 outputs only"));
        }
    }

    /** The shape of a model output of the last run. */
    public long[] outputShape(String name) throws OrtException {
        long[] s = pinnedModelOutputShapes.get(name);
        if (s != null) {
            return s.clone();
        }
        if (resultsReceived && receivedShapes.containsKey(name)) {
            return receivedShapes.get(name).clone();
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

    private LongBuffer pinLongs(String name, long[] shape) throws OrtException {
        LongBuffer buf = ByteBuffer.allocateDirect(Math.toIntExact(product(shape)) * Long.BYTES)
                .order(ByteOrder.nativeOrder()).asLongBuffer();
        pinned.put(name, OnnxTensor.createTensor(session.env(), buf, shape));
        return buf;
    }

    private IntBuffer pinInts(String name, long[] shape) throws OrtException {
        IntBuffer buf = ByteBuffer.allocateDirect(Math.toIntExact(product(shape)) * Integer.BYTES)
                .order(ByteOrder.nativeOrder()).asIntBuffer();
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
