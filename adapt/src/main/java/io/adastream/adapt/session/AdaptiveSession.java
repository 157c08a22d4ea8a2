package io.adastream.adapt.session;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.adastream.adapt.onnx.AdaptiveModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * An ONNX Runtime session over an {@link AdaptiveModel}, created once per model and shared by threads. Each
 * thread runs batches through its own {@link Workspace}, which owns the reusable direct buffers.
 */
public final class AdaptiveSession implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AdaptiveSession.class);

    private final AdaptiveModel model;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final SessionConfig.Provider provider;
    private final Map<String, NodeInfo> inputInfo;
    private final Map<String, NodeInfo> outputInfo;

    private AdaptiveSession(AdaptiveModel model, OrtEnvironment env, OrtSession session,
                            SessionConfig.Provider provider) throws OrtException {
        this.model = model;
        this.env = env;
        this.session = session;
        this.provider = provider;
        this.inputInfo = session.getInputInfo();
        this.outputInfo = session.getOutputInfo();
    }

    /**
     * Opens a session; with {@code cuda} requested but unavailable (no CUDA provider in this build, or one that cannot
     * create the session: no driver, no device, mismatched CUDA/cuDNN) it logs why and runs on CPU.
     */
    public static AdaptiveSession open(AdaptiveModel model, SessionConfig config) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        if (config.provider() == SessionConfig.Provider.CUDA) {
            try (OrtSession.SessionOptions options = sessionOptions(config)) {
                if (tryAddCuda(options, config.cudaDevice()) == SessionConfig.Provider.CUDA) {
                    return new AdaptiveSession(model, env, env.createSession(model.adaptiveBytes(), options),
                            SessionConfig.Provider.CUDA);
                }
            } catch (OrtException e) {
                warnCpuFallback(config.cudaDevice(), e);
            }
        }
        try (OrtSession.SessionOptions options = sessionOptions(config)) {
            return new AdaptiveSession(model, env, env.createSession(model.adaptiveBytes(), options),
                    SessionConfig.Provider.CPU);
        }
    }

    /** The CPU session options an adaptive session runs with (benchmarks and the profiler open the same); the caller closes them. */
    public static OrtSession.SessionOptions sessionOptions(SessionConfig config) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        if (config.intraOpThreads() > 0) {
            options.setIntraOpNumThreads(config.intraOpThreads());
        }
        return options;
    }

    private static SessionConfig.Provider tryAddCuda(OrtSession.SessionOptions options, int device) {
        try {
            options.addCUDA(device);
            return SessionConfig.Provider.CUDA;
        } catch (OrtException | RuntimeException | LinkageError e) {
            warnCpuFallback(device, e);
            return SessionConfig.Provider.CPU;
        }
    }

    /** The one warning of a CUDA request that runs on CPU. */
    static String warnCpuFallback(int device, Throwable cause) {
        String why = cause.getMessage() == null ? cause.getClass().getSimpleName()
                : cause.getMessage().lines().findFirst().orElse("");
        String message = "CUDA execution provider unavailable on device " + device + " (" + why + "); running on CPU. "
                + "The GPU build needs 'mvn -Pgpu', an NVIDIA driver and CUDA/cuDNN libraries matching ONNX Runtime.";
        LOG.warn(message);
        return message;
    }

    /**
     * A workspace for batches of {@code batchSize} frames. Model inputs whose per-sample dimensions are
     * dynamic need {@link #newWorkspace(int, Map)}.
     */
    public Workspace newWorkspace(int batchSize) throws OrtException {
        return newWorkspace(batchSize, Map.of());
    }

    /**
     * A workspace for batches of {@code batchSize} frames; {@code sampleShapes} gives, per model input, the shape
     * of one sample (without N) where the model leaves it dynamic.
     */
    public Workspace newWorkspace(int batchSize, Map<String, long[]> sampleShapes) throws OrtException {
        return new Workspace(this, batchSize, sampleShapes);
    }

    /** The provider the session actually runs on (CPU after a CUDA fallback). */
    public SessionConfig.Provider provider() {
        return provider;
    }

    public AdaptiveModel model() {
        return model;
    }

    OrtEnvironment env() {
        return env;
    }

    OrtSession ort() {
        return session;
    }

    /** The element type of a model output, as the session reports it. */
    public OnnxJavaType outputElementType(String name) {
        return outputTensor(name).type;
    }

    /** The declared shape of a model output (-1 for a symbolic dimension, empty when undeclared). */
    public long[] outputShape(String name) {
        return outputTensor(name).getShape();
    }

    private TensorInfo outputTensor(String name) {
        NodeInfo info = outputInfo.get(name);
        if (info == null || !(info.getInfo() instanceof TensorInfo t)) {
            throw new IllegalArgumentException("no output tensor named '" + name + "' in the model; outputs: "
                    + outputInfo.keySet());
        }
        return t;
    }

    long[] declaredShape(String name) {
        NodeInfo info = inputInfo.containsKey(name) ? inputInfo.get(name) : outputInfo.get(name);
        if (info == null || !(info.getInfo() instanceof TensorInfo t)) {
            throw new IllegalArgumentException("no tensor named '" + name + "' in the model");
        }
        return t.getShape();
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
