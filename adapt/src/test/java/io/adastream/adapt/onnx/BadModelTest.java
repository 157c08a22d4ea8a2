package io.adastream.adapt.onnx;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import io.adastream.adapt.testing.NetworkBuilder;
import io.adastream.adapt.testing.ReferenceNetworks;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Models the rewrite must refuse, each with its documented reason and a one-line message. */
class BadModelTest {

    private final byte[] good = ReferenceNetworks.resnet(13, 32, new int[]{1, 1}, 8, 1).toByteArray();

    @Test
    void truncatedBytesAreUnreadable() {
        Random r = new Random(1);
        for (int i = 0; i < 200; i++) {
            int cut = r.nextInt(good.length);
            byte[] truncated = Arrays.copyOf(good, cut);
            try {
                OnnxModel model = OnnxModel.parse(truncated);
                // a cut on a field boundary can parse; then the rewrite must still fail cleanly or succeed
                try {
                    AdaptiveGraphRewriter.rewrite(model);
                } catch (ModelFormatException e) {
                    assertOneLine(e);
                }
            } catch (ModelFormatException e) {
                assertEquals(ModelFormatException.Reason.UNREADABLE, e.reason());
                assertOneLine(e);
            }
        }
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> OnnxModel.parse(Arrays.copyOf(good, good.length / 2)));
        assertEquals(ModelFormatException.Reason.UNREADABLE, e.reason());
        assertEquals(ModelFormatException.Reason.UNREADABLE,
                assertThrows(ModelFormatException.class, () -> OnnxModel.parse(new byte[0])).reason());
        assertEquals(ModelFormatException.Reason.UNREADABLE,
                assertThrows(ModelFormatException.class, () -> OnnxModel.parse("hello, world".getBytes())).reason());
    }

    @Test
    void aModelWithoutBatchNormalizationSaysWhyAndHowToExportIt() throws Exception {
        NetworkBuilder b = new NetworkBuilder(13, 1);
        String x = b.input("x", -1, 3, 8, 8);
        b.output(b.relu(b.conv(x, 3, 4, 3, 1, 2)));
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> AdaptiveGraphRewriter.rewrite(OnnxModel.of(b.build())));
        assertEquals(ModelFormatException.Reason.NO_BATCHNORM, e.reason());
        assertTrue(e.getMessage().contains("folded into the convolutions"), e.getMessage());
        assertTrue(e.getMessage().contains("TrainingMode.PRESERVE"), e.getMessage());
        assertOneLine(e);
    }

    @Test
    void batchNormWithComputedStatisticsIsNotAdaptable() throws Exception {
        ModelProto m = ReferenceNetworks.mlp(13, 3);
        // make every BN's mean a computed tensor (Identity of the initializer) instead of an initializer
        ModelProto.Builder mb = m.toBuilder();
        var g = mb.getGraphBuilder();
        for (int i = 0; i < g.getNodeCount(); i++) {
            NodeProto n = g.getNode(i);
            if (n.getOpType().equals("BatchNormalization")) {
                String computed = n.getInput(3) + "_computed";
                g.addNode(NodeProto.newBuilder().setOpType("Identity").addInput(n.getInput(3)).addOutput(computed));
                g.setNode(i, n.toBuilder().setInput(3, computed));
            }
        }
        // move the Identity nodes first so the graph stays topologically sorted
        var nodes = new java.util.ArrayList<>(g.getNodeList());
        nodes.sort((a, c) -> Boolean.compare(!a.getOpType().equals("Identity"), !c.getOpType().equals("Identity")));
        g.clearNode().addAllNode(nodes);
        ModelInspection inspection = BatchNormInspector.inspect(OnnxModel.of(mb.build()));
        assertEquals(0, inspection.layers().size());
        assertEquals(2, inspection.skipped().size());
        assertTrue(inspection.skipped().get(0).reason().contains("not a constant initializer"));
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> AdaptiveGraphRewriter.rewrite(OnnxModel.of(mb.build())));
        assertEquals(ModelFormatException.Reason.NOT_ADAPTABLE, e.reason());
    }

    @Test
    void rewritingARewrittenModelIsRefused() throws Exception {
        AdaptiveModel once = AdaptiveGraphRewriter.rewrite(OnnxModel.parse(good));
        OnnxModel rewritten = OnnxModel.parse(once.adaptiveBytes());
        assertTrue(BatchNormInspector.inspect(rewritten).alreadyRewritten());
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> AdaptiveGraphRewriter.rewrite(rewritten));
        assertEquals(ModelFormatException.Reason.ALREADY_REWRITTEN, e.reason());
        assertOneLine(e);
    }

    @Test
    void unsupportedOpsetIsRefused() throws Exception {
        ModelProto old = ReferenceNetworks.mlp(8, 1);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> AdaptiveGraphRewriter.rewrite(OnnxModel.of(old)));
        assertEquals(ModelFormatException.Reason.UNSUPPORTED, e.reason());
        assertTrue(e.getMessage().contains("opset 8"));
    }

    @Test
    void inspectionListsEveryLayerWithItsSourceStatistics() throws Exception {
        ModelProto m = ReferenceNetworks.resnet(18, 32, new int[]{1, 1}, 8, 5);
        ModelInspection inspection = BatchNormInspector.inspect(OnnxModel.of(m));
        // stem + 2 per block + 1 downsampling shortcut
        assertEquals(1 + 2 * 2 + 1, inspection.layers().size());
        assertEquals(18, inspection.opset());
        assertFalse(inspection.alreadyRewritten());
        int bnSeen = 0;
        for (NodeProto n : m.getGraph().getNodeList()) {
            if (!n.getOpType().equals("BatchNormalization")) {
                continue;
            }
            BatchNormLayer layer = inspection.layers().get(bnSeen);
            assertEquals(bnSeen, layer.index());
            assertEquals(n.getName(), layer.nodeName());
            assertEquals(n.getInput(0), layer.input());
            assertEquals(n.getOutput(0), layer.output());
            assertEquals(1e-5f, layer.epsilon());
            float[] mean = Tensors.toFloatArray(m.getGraph().getInitializerList().stream()
                    .filter(t -> t.getName().equals(n.getInput(3))).findFirst().orElseThrow());
            assertEquals(mean.length, layer.channels());
            assertTrue(Arrays.equals(mean, layer.sourceMean()));
            bnSeen++;
        }
        assertEquals(inspection.layers().size(), bnSeen);
    }

    private static void assertOneLine(Exception e) {
        assertFalse(e.getMessage().isBlank());
        assertFalse(e.getMessage().contains("\n"), "multi-line message: " + e.getMessage());
    }
}
