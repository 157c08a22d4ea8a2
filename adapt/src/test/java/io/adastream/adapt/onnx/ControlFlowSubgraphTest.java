package io.adastream.adapt.onnx;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import io.adastream.adapt.testing.Arrays2;
import io.adastream.adapt.testing.HostileModels;
import io.adastream.adapt.testing.NetworkBuilder;
import io.adastream.adapt.testing.PlainOrt;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * BatchNormalization inside an If branch: the main graph's layers are adapted, the branch's node is left as it is
 * and reported, and every initializer the branch reads from the main graph stays in the rewritten model.
 */
class ControlFlowSubgraphTest {

    private static final long[] SHAPE = {2, 4, 3, 3};

    /**
     * x → BN "bn" → ReLU → If(true: BN "branch_bn" over the same scale, bias, mean and variance; false: Identity) → z.
     * With {@code mainBatchNorm} false the main graph has only the ReLU, so the one BatchNormalization is in the branch.
     */
    private static ModelProto model(boolean mainBatchNorm) {
        NetworkBuilder b = new NetworkBuilder(13, 5);
        String x = b.input("x", -1, 4, 3, 3);
        String bn = b.batchNorm(x, 4);
        String relu = b.relu(bn);
        b.output(relu);
        ModelProto.Builder mb = b.build().toBuilder();
        GraphProto.Builder g = mb.getGraphBuilder();
        NodeProto bnNode = g.getNode(0).toBuilder().setName("bn").build();
        g.setNode(0, bnNode);
        if (!mainBatchNorm) {
            // ReLU reads x directly; the BatchNormalization exists only in the branch
            g.setNode(1, g.getNode(1).toBuilder().setInput(0, x));
            g.removeNode(0);
        }
        GraphProto thenBranch = GraphProto.newBuilder().setName("then")
                .addNode(bnNode.toBuilder().setName("branch_bn").setInput(0, relu).setOutput(0, "then_z"))
                .addOutput(HostileModels.floatValue("then_z")).build();
        GraphProto elseBranch = GraphProto.newBuilder().setName("else")
                .addNode(NodeProto.newBuilder().setOpType("Identity").setName("else_id").addInput(relu).addOutput("else_z"))
                .addOutput(HostileModels.floatValue("else_z")).build();
        g.addInitializer(TensorProto.newBuilder().setName("cond").setDataType(TensorProto.DataType.BOOL_VALUE).addInt32Data(1));
        g.addNode(NodeProto.newBuilder().setOpType("If").setName("if").addInput("cond").addOutput("z")
                .addAttribute(HostileModels.graphAttribute("then_branch", thenBranch))
                .addAttribute(HostileModels.graphAttribute("else_branch", elseBranch)));
        g.clearOutput().addOutput(HostileModels.floatValue("z"));
        return mb.build();
    }

    @Test
    void mainGraphLayersAreAdaptedAndTheRewrittenModelRunsLikeTheOriginalAtBlendZero() throws Exception {
        ModelProto m = model(true);
        float[] input = Arrays2.gaussian(new Random(4), 2 * 4 * 9, 0.3, 1.0);
        float[] expected = PlainOrt.run(m, "x", input, SHAPE, "z");

        AdaptiveModel adaptive = AdaptiveGraphRewriter.rewrite(OnnxModel.of(m));
        float[] actual = HostileModels.atBlendZero(adaptive, input, 2, "z");
        assertTrue(Arrays2.maxScaledDiff(actual, expected) <= 1e-5, "max scaled diff " + Arrays2.maxScaledDiff(actual, expected));

        ModelInspection inspection = BatchNormInspector.inspect(OnnxModel.of(m));
        assertEquals(1, inspection.layers().size());
        assertEquals("bn", inspection.layers().get(0).nodeName());
        assertEquals(1, inspection.skipped().size());
        assertEquals("branch_bn", inspection.skipped().get(0).nodeName());
        assertEquals(BatchNormInspector.SUBGRAPH_REASON, inspection.skipped().get(0).reason());
        // the branch's statistics are the main node's initializers: they must survive the rewrite
        ModelProto rewritten = ModelProto.parseFrom(adaptive.adaptiveBytes());
        for (int i = 3; i <= 4; i++) {
            String name = m.getGraph().getNode(0).getInput(i);
            assertTrue(rewritten.getGraph().getInitializerList().stream().anyMatch(t -> t.getName().equals(name)), name);
        }
    }

    @Test
    void aBatchNormalizationOnlyInsideABranchIsReportedAsSuchNotAsFolded() throws Exception {
        ModelProto m = model(false);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> AdaptiveGraphRewriter.rewrite(OnnxModel.of(m)));
        assertEquals(ModelFormatException.Reason.NOT_ADAPTABLE, e.reason());
        assertTrue(e.getMessage().contains("'branch_bn': " + BatchNormInspector.SUBGRAPH_REASON), e.getMessage());
        assertFalse(e.getMessage().contains("folded"), e.getMessage());
    }
}
