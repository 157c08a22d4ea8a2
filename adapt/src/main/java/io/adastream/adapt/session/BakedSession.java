package io.adastream.adapt.session;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * An ONNX Runtime session over a plain model with one domain's statistics baked in (constants, which ONNX Runtime
 * folds into the convolutions as it does the original's), run over an adaptive {@link Workspace}'s input and output
 * buffers so that the same decoding reads its outputs. Thread-safe like any {@link OrtSession}.
 */
public final class BakedSession implements AutoCloseable {

    private final OrtSession session;

    private BakedSession(OrtSession session) {
        this.session = session;
    }

    /**
     * Opens a session over {@code bakedModel} with the adaptive session's settings (CPU options; CUDA where it is
     * configured and available, else CPU without another warning), its intra-op threads not spinning between runs,
     * so that the idle pools of cached sessions take no CPU from the one that runs. Measured in the two-tier loop at 2
     * intra-op threads (31 baked frames, then one adaptive): blocking 1.58 ms per frame against 1.86 ms spinning on
     * the demo segmenter, 0.56 against 0.77 on the demo detector, 2.35 against 2.70 on UltraFace slim-320, although a
     * session run alone is faster spinning.
     */
    public static BakedSession open(byte[] bakedModel, SessionConfig config) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        if (config.provider() == SessionConfig.Provider.CUDA) {
            try (OrtSession.SessionOptions options = options(config)) {
                options.addCUDA(config.cudaDevice());
                return new BakedSession(env.createSession(bakedModel, options));
            } catch (OrtException | RuntimeException | LinkageError e) {
                // the adaptive session has already said why CUDA is unavailable
            }
        }
        try (OrtSession.SessionOptions options = options(config)) {
            return new BakedSession(env.createSession(bakedModel, options));
        }
    }

    private static OrtSession.SessionOptions options(SessionConfig config) throws OrtException {
        OrtSession.SessionOptions options = AdaptiveSession.sessionOptions(config);
        options.addConfigEntry("session.intra_op.allow_spinning", "0");
        return options;
    }

    /** Runs the workspace's frames through the baked model; the workspace's model outputs then hold its results. */
    public void run(Workspace workspace) throws OrtException {
        workspace.runPlain(session);
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
