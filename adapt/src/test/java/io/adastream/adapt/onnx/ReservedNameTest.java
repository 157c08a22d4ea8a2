package io.adastream.adapt.onnx;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import io.adastream.adapt.testing.Arrays2;
import io.adastream.adapt.testing.HostileModels;
import io.adastream.adapt.testing.NetworkBuilder;
import io.adastream.adapt.testing.PlainOrt;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A model that already uses the names of the adaptive graph's contract (adastream.mean.0, ...) for its own tensors. */
class ReservedNameTest {

    @Test
    void theModelsOwnTensorsWithReservedNamesAreRenamedAndTheContractKeepsItsNames() throws Exception {
        NetworkBuilder b = new NetworkBuilder(13, 8);
        String x = b.input("x", -1, 3, 5, 5);
        b.conv(x, 3, 4, 3, 1, 2);
        x = b.renameLast(AdaptiveNames.momentMean(0));
        x = b.relu(b.batchNorm(x, 4));
        b.renameLast(AdaptiveNames.mean(1));
        x = b.batchNorm(AdaptiveNames.mean(1), 4);
        b.output(x);
        ModelProto m = b.build();
        // a weight initializer named like a fed-statistics input too
        m = renameInitializer(m, m.getGraph().getInitializer(0).getName(), AdaptiveNames.var(0));

        float[] input = Arrays2.gaussian(new Random(3), 2 * 3 * 25, 0, 1);
        float[] expected = PlainOrt.run(m, "x", input, new long[]{2, 3, 5, 5}, x);
        AdaptiveModel adaptive = AdaptiveGraphRewriter.rewrite(OnnxModel.of(m));
        assertEquals(2, adaptive.layerCount());
        float[] actual = HostileModels.atBlendZero(adaptive, input, 2, x);
        assertTrue(Arrays2.maxScaledDiff(actual, expected) <= 1e-5, "max scaled diff " + Arrays2.maxScaledDiff(actual, expected));

        GraphProto g = ModelProto.parseFrom(adaptive.adaptiveBytes()).getGraph();
        for (String reserved : new String[]{AdaptiveNames.momentMean(0), AdaptiveNames.mean(1), AdaptiveNames.var(0)}) {
            long producers = g.getNodeList().stream().filter(n -> n.getOutputList().contains(reserved)).count()
                    + g.getInitializerList().stream().filter(t -> t.getName().equals(reserved)).count()
                    + g.getInputList().stream().filter(v -> v.getName().equals(reserved)).count();
            assertEquals(1, producers, reserved + " must have exactly one definition");
        }
        assertTrue(g.getNodeList().stream().anyMatch(n -> n.getOutputList().contains(AdaptiveNames.momentMean(0) + "_own")));
        assertTrue(g.getInitializerList().stream().anyMatch(t -> t.getName().equals(AdaptiveNames.var(0) + "_own")));
    }

    @Test
    void aGraphOutputWithAReservedNameIsRefusedNamingIt() throws Exception {
        NetworkBuilder b = new NetworkBuilder(13, 8);
        b.batchNorm(b.input("x", -1, 4, 3, 3), 4);
        b.renameLast(AdaptiveNames.momentVar(0));
        b.output(AdaptiveNames.momentVar(0));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> AdaptiveGraphRewriter.rewrite(OnnxModel.of(b.build())));
        assertEquals(ModelFormatException.Reason.UNSUPPORTED, e.reason());
        assertTrue(e.getMessage().startsWith("the model's output 'adastream.moment.var.0' has a name the adaptive graph reserves"),
                e.getMessage());
    }

    private static ModelProto renameInitializer(ModelProto m, String from, String to) {
        ModelProto.Builder mb = m.toBuilder();
        GraphProto.Builder g = mb.getGraphBuilder();
        for (int i = 0; i < g.getInitializerCount(); i++) {
            if (g.getInitializer(i).getName().equals(from)) {
                g.setInitializer(i, g.getInitializer(i).toBuilder().setName(to));
            }
        }
        for (int i = 0; i < g.getNodeCount(); i++) {
            NodeProto.Builder n = g.getNode(i).toBuilder();
            for (int k = 0; k < n.getInputCount(); k++) {
                if (n.getInput(k).equals(from)) {
                    n.setInput(k, to);
                }
            }
            g.setNode(i, n);
        }
        return mb.build();
    }
}
