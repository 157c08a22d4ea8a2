package io.adastream.models.task;

import ai.onnxruntime.OrtException;
import io.adastream.adapt.session.Workspace;

import java.nio.FloatBuffer;

/** The outputs of a workspace's last run as {@link ModelOutputs}; an ONNX Runtime failure becomes unchecked. */
public record WorkspaceOutputs(Workspace workspace) implements ModelOutputs {

    @Override
    public FloatBuffer tensor(String name) {
        try {
            return workspace.output(name);
        } catch (OrtException e) {
            throw new IllegalStateException("cannot read model output '" + name + "': " + e.getMessage(), e);
        }
    }

    @Override
    public long[] shape(String name) {
        try {
            return workspace.outputShape(name);
        } catch (OrtException e) {
            throw new IllegalStateException("cannot read model output '" + name + "': " + e.getMessage(), e);
        }
    }
}
