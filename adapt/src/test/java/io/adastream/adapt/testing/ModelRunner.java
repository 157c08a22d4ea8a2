package io.adastream.adapt.testing;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One plain ONNX Runtime session over an unmodified single-input model, run frame by frame. */
public final class ModelRunner implements AutoCloseable {

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final String input;
    private final long[] shape;

    public ModelRunner(ModelProto model, String input, long[] sampleShape, int threads) throws OrtException {
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setIntraOpNumThreads(threads);
            this.session = env.createSession(model.toByteArray(), opts);
        }
        this.input = input;
        this.shape = new long[sampleShape.length + 1];
        shape[0] = 1;
        System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
    }

    /** The named outputs ([frame][output][values]) of each frame. */
    public List<float[][]> run(List<float[]> frames, List<String> outputs) throws OrtException {
        List<float[][]> all = new ArrayList<>();
        for (float[] frame : frames) {
            try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(frame), shape);
                 OrtSession.Result r = session.run(Map.of(input, t))) {
                float[][] values = new float[outputs.size()][];
                for (int k = 0; k < outputs.size(); k++) {
                    FloatBuffer b = ((OnnxTensor) r.get(outputs.get(k)).orElseThrow()).getFloatBuffer();
                    values[k] = new float[b.remaining()];
                    b.get(values[k]);
                }
                all.add(values);
            }
        }
        return all;
    }

    /** The largest {@link Arrays2#maxScaledDiff} over frames and outputs. */
    public static double worst(List<float[][]> a, List<float[][]> b) {
        double w = 0;
        for (int i = 0; i < a.size(); i++) {
            for (int k = 0; k < a.get(i).length; k++) {
                w = Math.max(w, Arrays2.maxScaledDiff(a.get(i)[k], b.get(i)[k]));
            }
        }
        return w;
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
