package io.adastream.models.task;

import ai.onnxruntime.OrtException;
import io.adastream.adapt.session.Workspace;

import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;

/**
 * The outputs of a workspace's last run as {@link ModelOutputs}, float, int64 and int32 alike; an ONNX Runtime
 * failure becomes unchecked.
 */
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

    @Override
    public TensorElement element(String name) {
        TensorElement e = TensorElement.of(workspace.outputType(name));
        if (e == null) {
            throw new IllegalArgumentException("model output '" + name + "' is " + workspace.outputType(name)
                    + "; the decoders read FLOAT, INT64 and INT32 outputs");
        }
        return e;
    }

    @Override
    public LongBuffer longTensor(String name) {
        try {
            return workspace.longOutput(name);
        } catch (OrtException e) {
            throw new IllegalStateException("cannot read model output '" + name + "': " + e.getMessage(), e);
        }
    }

    @Override
    public IntBuffer intTensor(String name) {
        try {
            return workspace.intOutput(name);
        } catch (OrtException e) {
            throw new IllegalStateException("cannot read model output '" + name + "': " + e.getMessage(), e);
        }
    }
}
