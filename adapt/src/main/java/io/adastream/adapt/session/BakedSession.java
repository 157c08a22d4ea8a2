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
     * configured and available, else CPU without another warning). Its intra-op threads spin between runs, as the
     * original model's do: measured with 2 intra-op threads, a pool that blocks instead makes every run 1.2 to 1.8
     * times slower on the light models, while an idle spinning pool stops spinning within milliseconds (8 idle
     * sessions took 80 ms of CPU over the 2 s after their last run).
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
        return AdaptiveSession.sessionOptions(config);
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
