package io.adastream.cli;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.adastream.adapt.onnx.AdaptiveModel;
import io.adastream.adapt.onnx.AdaptiveNames;
import io.adastream.adapt.onnx.BatchNormLayer;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the first BatchNorm layer (in graph order) whose output differs between the original model and its
 * adaptive graph at blend 0 with the source statistics: both graphs are run on one sample with every layer's output
 * exposed as a graph output.
 */
final class LayerDivergence {

    /** Layer {@code layer} is the first whose output differs by more than the tolerance; {@code upstream} is the
     *  largest difference of the layers before it. Null layer: every layer agrees. */
    record Result(BatchNormLayer layer, double diff, double upstream) {
    }

    private LayerDivergence() {
    }

    static Result first(ModelProto original, AdaptiveModel adaptive, float[] sample, long[] shape, double tolerance,
                        int threads) throws Exception {
        List<BatchNormLayer> layers = adaptive.layers();
        List<String> names = layers.stream().map(BatchNormLayer::output).toList();
        ModelProto exposedOriginal = expose(original, names);
        ModelProto exposedAdaptive = expose(ModelProto.parseFrom(adaptive.adaptiveBytes()), names);
        String input = adaptive.modelInputs().get(0);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        List<OnnxTensor> owned = new ArrayList<>();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            try (OrtSession so = env.createSession(exposedOriginal.toByteArray(), options);
                 OrtSession sa = env.createSession(exposedAdaptive.toByteArray(), options)) {
                OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(sample), shape);
                owned.add(x);
                Map<String, OnnxTensor> feeds = new HashMap<>();
                feeds.put(input, x);
                OnnxTensor blend = OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[layers.size()]),
                        new long[]{1, layers.size()});
                owned.add(blend);
                feeds.put(AdaptiveNames.BLEND, blend);
                for (BatchNormLayer l : layers) {
                    OnnxTensor m = OnnxTensor.createTensor(env, FloatBuffer.wrap(l.sourceMean()), new long[]{1, l.channels()});
                    OnnxTensor v = OnnxTensor.createTensor(env, FloatBuffer.wrap(l.sourceVar()), new long[]{1, l.channels()});
                    owned.add(m);
                    owned.add(v);
                    feeds.put(AdaptiveNames.mean(l.index()), m);
                    feeds.put(AdaptiveNames.var(l.index()), v);
                }
                try (OrtSession.Result ro = so.run(Map.of(input, x), new java.util.LinkedHashSet<>(names));
                     OrtSession.Result ra = sa.run(feeds, new java.util.LinkedHashSet<>(names))) {
                    double upstream = 0;
                    for (BatchNormLayer l : layers) {
                        double d = OutputComparison.maxScaledDiff(OutputComparison.values(ra, l.output()),
                                OutputComparison.values(ro, l.output()));
                        if (!(d <= tolerance)) {
                            return new Result(l, d, upstream);
                        }
                        upstream = Math.max(upstream, d);
                    }
                    return new Result(null, 0, upstream);
                }
            }
        } finally {
            owned.forEach(OnnxTensor::close);
        }
    }

    private static ModelProto expose(ModelProto model, List<String> names) {
        GraphProto.Builder g = model.getGraph().toBuilder();
        java.util.Set<String> present = new java.util.HashSet<>();
        g.getOutputList().forEach(o -> present.add(o.getName()));
        for (String n : names) {
            if (present.add(n)) {
                g.addOutput(ValueInfoProto.newBuilder().setName(n).setType(TypeProto.newBuilder()
                        .setTensorType(TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE))));
            }
        }
        return model.toBuilder().setGraph(g).build();
    }
}
