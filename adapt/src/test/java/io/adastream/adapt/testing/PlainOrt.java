package io.adastream.adapt.testing;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.nio.FloatBuffer;
import java.util.Map;

/** Runs an unmodified model in ONNX Runtime: the independent side of the equivalence tests. */
public final class PlainOrt {

    private PlainOrt() {
    }

    /** Runs a single-input model and returns the named output as a flat array. */
    public static float[] run(ModelProto model, String input, float[] data, long[] shape, String output) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setIntraOpNumThreads(1);
            try (OrtSession s = env.createSession(model.toByteArray(), opts);
                 OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(data), shape);
                 OrtSession.Result r = s.run(Map.of(input, t))) {
                FloatBuffer fb = ((OnnxTensor) r.get(output).orElseThrow()).getFloatBuffer();
                float[] out = new float[fb.remaining()];
                fb.get(out);
                return out;
            }
        }
    }
}
