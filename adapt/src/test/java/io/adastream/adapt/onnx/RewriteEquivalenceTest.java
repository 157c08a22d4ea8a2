package io.adastream.adapt.onnx;

import ai.onnx.proto.OnnxMl.ModelProto;
import io.adastream.adapt.session.AdaptiveSession;
import io.adastream.adapt.session.SessionConfig;
import io.adastream.adapt.session.Workspace;
import io.adastream.adapt.testing.Arrays2;
import io.adastream.adapt.testing.PlainOrt;
import io.adastream.adapt.testing.ReferenceNetworks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.FloatBuffer;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Blend weight 0 with the source statistics must reproduce the original model, across opsets and ranks. */
class RewriteEquivalenceTest {

    static Stream<Arguments> models() {
        Stream.Builder<Arguments> s = Stream.builder();
        for (int opset : new int[]{9, 13, 15, 18, 21}) {
            s.add(Arguments.of("resnet opset " + opset, ReferenceNetworks.resnet(opset, 32, new int[]{1, 1}, 8, opset), new long[]{3, 32, 32}));
            s.add(Arguments.of("conv rank 3 opset " + opset, ReferenceNetworks.convNet(opset, 3, 20, opset), new long[]{3, 20}));
            s.add(Arguments.of("conv rank 4 opset " + opset, ReferenceNetworks.convNet(opset, 4, 12, opset), new long[]{3, 12, 12}));
            s.add(Arguments.of("conv rank 5 opset " + opset, ReferenceNetworks.convNet(opset, 5, 6, opset), new long[]{3, 6, 6, 6}));
            s.add(Arguments.of("mlp rank 2 opset " + opset, ReferenceNetworks.mlp(opset, opset), new long[]{12}));
        }
        s.add(Arguments.of("conv rank 4 opset 9, weights listed as inputs", initializersAsInputs(
                ReferenceNetworks.convNet(9, 4, 12, 9)), new long[]{3, 12, 12}));
        return s.build();
    }

    /** The model as older exporters write it: every initializer also listed as a graph input, after the real input. */
    static ModelProto initializersAsInputs(ModelProto model) {
        var graph = model.getGraph().toBuilder();
        for (var t : model.getGraph().getInitializerList()) {
            var type = ai.onnx.proto.OnnxMl.TypeProto.Tensor.newBuilder().setElemType(t.getDataType());
            var shape = ai.onnx.proto.OnnxMl.TensorShapeProto.newBuilder();
            t.getDimsList().forEach(d -> shape.addDim(ai.onnx.proto.OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(d)));
            graph.addInput(ai.onnx.proto.OnnxMl.ValueInfoProto.newBuilder().setName(t.getName())
                    .setType(ai.onnx.proto.OnnxMl.TypeProto.newBuilder().setTensorType(type.setShape(shape))));
        }
        return model.toBuilder().setGraph(graph).build();
    }

    @Test
    void initializersListedAsInputsAreConstantsOfTheAdaptiveGraph() throws Exception {
        ModelProto original = initializersAsInputs(ReferenceNetworks.convNet(9, 4, 12, 9));
        int initializers = original.getGraph().getInitializerCount();
        assertTrue(original.getGraph().getInputCount() == 1 + initializers, "the fixture lists every weight as an input");
        AdaptiveModel adaptive = AdaptiveGraphRewriter.rewrite(OnnxModel.of(original));
        var graph = ModelProto.parseFrom(adaptive.adaptiveBytes()).getGraph();
        java.util.Set<String> names = new java.util.HashSet<>();
        graph.getInitializerList().forEach(t -> names.add(t.getName()));
        List<String> overridable = graph.getInputList().stream().map(i -> i.getName()).filter(names::contains).toList();
        assertEquals(List.of(), overridable, "initializers still listed as graph inputs");
        // the real input, the blend and two statistics inputs per layer
        assertEquals(1 + 1 + 2 * adaptive.layerCount(), graph.getInputCount());
        assertEquals(List.of(original.getGraph().getInput(0).getName()), adaptive.modelInputs());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void weightZeroWithSourceStatisticsReproducesTheOriginalModel(String name, ModelProto original, long[] sample) throws Exception {
        int batch = 2;
        long[] shape = new long[sample.length + 1];
        shape[0] = batch;
        System.arraycopy(sample, 0, shape, 1, sample.length);
        int n = 1;
        for (long d : shape) {
            n *= (int) d;
        }
        float[] input = Arrays2.gaussian(new Random(7), n, 0.3, 1.0);
        String inputName = original.getGraph().getInput(0).getName();
        String outputName = original.getGraph().getOutput(0).getName();
        float[] expected = PlainOrt.run(original, inputName, input, shape, outputName);

        AdaptiveModel adaptive = AdaptiveGraphRewriter.rewrite(OnnxModel.of(original));
        assertTrue(adaptive.layerCount() >= 2, "expected several BN layers in " + name);
        try (AdaptiveSession session = AdaptiveSession.open(adaptive, SessionConfig.cpu().withIntraOpThreads(1));
             Workspace ws = session.newWorkspace(batch)) {
            ws.input().put(0, input);
            for (int f = 0; f < batch; f++) {
                for (BatchNormLayer layer : adaptive.layers()) {
                    ws.setStatistics(f, layer.index(), layer.sourceMean(), layer.sourceVar());
                    ws.setBlend(f, layer.index(), 0f);
                }
            }
            ws.run();
            FloatBuffer out = ws.output(outputName);
            float[] actual = new float[out.remaining()];
            out.get(actual);
            assertEquals(expected.length, actual.length);
            double diff = Arrays2.maxScaledDiff(actual, expected);
            assertTrue(diff <= 1e-5, name + ": max scaled diff " + diff);
        }
    }
}
