package io.adastream.cli;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.adastream.adapt.session.OutputFloats;

import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;

/** Runs two single-input models on the same frames (batch 1) and reports how far their outputs are apart. */
final class OutputComparison {

    private OutputComparison() {
    }

    /** The largest max-scaled difference over frames and the first model's outputs. */
    static double worst(ModelProto a, ModelProto b, List<float[]> frames, long[] sampleShape, int threads)
            throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long[] shape = new long[sampleShape.length + 1];
        shape[0] = 1;
        System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
        List<String> outputs = a.getGraph().getOutputList().stream().map(ValueInfoProto::getName).toList();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            try (OrtSession sa = env.createSession(a.toByteArray(), options);
                 OrtSession sb = env.createSession(b.toByteArray(), options)) {
                String input = sa.getInputNames().stream()
                        .filter(n -> !isInitializer(a, n)).findFirst().orElseThrow();
                double worst = 0;
                for (float[] frame : frames) {
                    try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(frame), shape);
                         OrtSession.Result ra = sa.run(Map.of(input, t));
                         OrtSession.Result rb = sb.run(Map.of(input, t))) {
                        for (String o : outputs) {
                            worst = Math.max(worst, maxScaledDiff(values(rb, o), values(ra, o)));
                        }
                    }
                }
                return worst;
            }
        }
    }

    private static boolean isInitializer(ModelProto m, String name) {
        return m.getGraph().getInitializerList().stream().anyMatch(t -> t.getName().equals(name));
    }

    /** A float, int64 or int32 result as floats (any other type: empty, which compares as different). */
    static float[] values(OrtSession.Result r, String name) {
        OnnxTensor t = (OnnxTensor) r.get(name).orElseThrow();
        return switch (t.getInfo().type) {
            case INT64 -> OutputFloats.of(t.getLongBuffer());
            case INT32 -> OutputFloats.of(t.getIntBuffer());
            case FLOAT -> OutputFloats.of(t.getFloatBuffer());
            default -> new float[0];
        };
    }

    /** max |a − b| / max(1, |b|); infinite for different lengths or a NaN. */
    static double maxScaledDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            return Double.POSITIVE_INFINITY;
        }
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            double d = Math.abs((double) a[i] - b[i]) / Math.max(1.0, Math.abs(b[i]));
            worst = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(worst, d);
        }
        return worst;
    }
}
