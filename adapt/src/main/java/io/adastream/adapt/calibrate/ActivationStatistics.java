package io.adastream.adapt.calibrate;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Measures the population statistics of some convolutions' outputs over calibration frames: runs ONNX Runtime on a
 * copy of the model with those outputs exposed as graph outputs, one frame at a time, and accumulates each
 * channel's moments in double ({@link ChannelMoments}). Outputs with a single spatial position are recognised on the
 * first frame and dropped (their role becomes {@link ConvSite.Role#SINGLE_POSITION}).
 */
final class ActivationStatistics {

    private ActivationStatistics() {
    }

    /** The measured candidates in graph order, and the sites with their final roles. */
    record Measurement(List<CalibratedLayer> layers, List<ConvSite> sites) {
    }

    static Measurement measure(ModelProto model, String input, List<ConvSite> sites, CalibrationFrames frames,
                               CalibrationOptions options) throws CalibrationException, OrtException {
        List<ConvSite> candidates = sites.stream().filter(s -> s.role() == ConvSite.Role.CANDIDATE).toList();
        byte[] exposed = exposeOutputs(model, candidates).toByteArray();
        long[] sample = frames.sampleShape();
        long[] shape = new long[sample.length + 1];
        shape[0] = 1;
        System.arraycopy(sample, 0, shape, 1, sample.length);
        float[] data = new float[Math.toIntExact(product(sample))];
        Map<String, ChannelMoments> moments = new LinkedHashMap<>();
        Map<String, Long> spatialOf = new LinkedHashMap<>();
        Set<String> requested = new LinkedHashSet<>();
        candidates.forEach(c -> requested.add(c.output()));
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (options.threads() > 0) {
                so.setIntraOpNumThreads(options.threads());
            }
            try (OrtSession session = env.createSession(exposed, so)) {
                for (int f = 0; f < frames.count(); f++) {
                    frames.fill(f, data);
                    try (OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(data), shape);
                         OrtSession.Result result = session.run(Map.of(input, tensor), requested)) {
                        for (String name : List.copyOf(requested)) {
                            OnnxTensor t = (OnnxTensor) result.get(name).orElseThrow();
                            long[] s = t.getInfo().getShape();
                            if (f == 0) {
                                long spatial = s.length < 3 ? 1 : product(java.util.Arrays.copyOfRange(s, 2, s.length));
                                if (spatial <= 1) {
                                    requested.remove(name);
                                    continue;
                                }
                                spatialOf.put(name, spatial);
                                moments.put(name, new ChannelMoments(Math.toIntExact(s[1])));
                            }
                            if (!moments.get(name).add(t.getFloatBuffer(), Math.toIntExact(spatialOf.get(name)))) {
                                throw new CalibrationException(CalibrationException.Reason.NON_FINITE,
                                        "convolution '" + siteOf(candidates, name).name() + "' gives NaN or infinity on frame "
                                                + frames.describe(f) + "; check the frames and the spec's pre-processing");
                            }
                        }
                    }
                    options.progress().frameDone(f + 1, frames.count());
                    if (requested.isEmpty()) {
                        break; // every candidate has a single position: nothing to measure
                    }
                }
            }
        }
        List<CalibratedLayer> layers = new ArrayList<>();
        List<ConvSite> finalSites = new ArrayList<>();
        for (ConvSite site : sites) {
            if (site.role() != ConvSite.Role.CANDIDATE) {
                finalSites.add(site);
            } else if (!moments.containsKey(site.output())) {
                finalSites.add(site.withRole(ConvSite.Role.SINGLE_POSITION));
            } else {
                finalSites.add(site);
                ChannelMoments m = moments.get(site.output());
                double[] mean = new double[m.channels()];
                double[] var = new double[m.channels()];
                for (int c = 0; c < m.channels(); c++) {
                    mean[c] = m.mean(c);
                    var[c] = m.variance(c);
                }
                layers.add(new CalibratedLayer(site, m.channels(), spatialOf.get(site.output()), mean, var));
            }
        }
        return new Measurement(List.copyOf(layers), List.copyOf(finalSites));
    }

    /** A copy of the model whose graph also outputs the candidates' tensors. */
    static ModelProto exposeOutputs(ModelProto model, List<ConvSite> candidates) {
        GraphProto.Builder graph = model.getGraph().toBuilder();
        for (ConvSite c : candidates) {
            graph.addOutput(ValueInfoProto.newBuilder().setName(c.output()).setType(TypeProto.newBuilder()
                    .setTensorType(TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE))));
        }
        return model.toBuilder().setGraph(graph).build();
    }

    private static ConvSite siteOf(List<ConvSite> sites, String output) {
        return sites.stream().filter(s -> s.output().equals(output)).findFirst().orElseThrow();
    }

    static long product(long[] dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        return n;
    }

}
