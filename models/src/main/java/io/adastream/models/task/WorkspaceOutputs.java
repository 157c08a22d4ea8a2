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

    /** A read of one output from the workspace. */
    private interface Read<T> {
        T from(Workspace workspace, String name) throws OrtException;
    }

    @Override
    public FloatBuffer tensor(String name) {
        return read(Workspace::output, name);
    }

    @Override
    public long[] shape(String name) {
        return read(Workspace::outputShape, name);
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
        return read(Workspace::longOutput, name);
    }

    @Override
    public IntBuffer intTensor(String name) {
        return read(Workspace::intOutput, name);
    }

    private <T> T read(Read<T> read, String name) {
        try {
            return read.from(workspace, name);
        } catch (OrtException e) {
            throw new IllegalStateException("cannot read model output '" + name + "': " + e.getMessage(), e);
        }
    }
}
