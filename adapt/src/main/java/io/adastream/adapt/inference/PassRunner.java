package io.adastream.adapt.inference;

import ai.onnxruntime.OrtException;
import io.adastream.adapt.session.Workspace;

/**
 * Runs one forward pass of a filled workspace: when it returns, the workspace holds that pass's outputs and
 * moments. {@link #DIRECT} runs it in the calling thread; a {@link BatchingExecutor} caller runs it inside a batch
 * with other callers' frames.
 */
@FunctionalInterface
public interface PassRunner {

    /** Runs the workspace itself, in the calling thread. */
    PassRunner DIRECT = Workspace::run;

    void run(Workspace ws) throws OrtException;
}
