package io.adastream.adapt.onnx;

import ai.onnx.proto.OnnxMl.ModelProto;
import io.adastream.adapt.testing.Arrays2;
import io.adastream.adapt.testing.HostileModels;
import io.adastream.adapt.testing.PlainOrt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A BatchNormalization in training mode normalizes with each batch's statistics: rewriting it as inference-mode
 * normalization would change the model, so the model is refused with one line.
 */
class TrainingModeBatchNormTest {

    @Test
    void trainingModeOneIsRefused() throws Exception {
        ModelProto m = HostileModels.withNode(HostileModels.oneBatchNorm(15), "BatchNormalization",
                n -> n.addAttribute(HostileModels.intAttribute("training_mode", 1)));
        ModelInspection inspection = BatchNormInspector.inspect(OnnxModel.of(m));
        assertFalse(inspection.adaptable());
        assertEquals(0, inspection.layers().size());
        assertTrue(inspection.skipped().get(0).reason().contains("training_mode=1"), inspection.skipped().toString());
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> AdaptiveGraphRewriter.rewrite(OnnxModel.of(m)));
        assertEquals(ModelFormatException.Reason.UNSUPPORTED, e.reason());
        assertTrue(e.getMessage().startsWith("BatchNormalization 'bn' runs in training mode (training_mode=1)"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @ParameterizedTest(name = "opset {0}")
    @ValueSource(ints = {9, 11, 13})
    void extraOutputsOfOpsetsNineToThirteenAreRefusedEvenWhenUnused(int opset) throws Exception {
        ModelProto m = HostileModels.withNode(HostileModels.oneBatchNorm(opset), "BatchNormalization",
                n -> n.addOutput("running_mean").addOutput("running_var").addOutput("saved_mean").addOutput("saved_var"));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> AdaptiveGraphRewriter.rewrite(OnnxModel.of(m)));
        assertEquals(ModelFormatException.Reason.UNSUPPORTED, e.reason());
        assertTrue(e.getMessage().contains("'bn' declares the training-mode outputs [running_mean, running_var, saved_mean, saved_var]"),
                e.getMessage());
    }

    @Test
    void runningStatisticsOutputsOfOpsetFourteenAreRefused() throws Exception {
        ModelProto m = HostileModels.withNode(HostileModels.oneBatchNorm(14), "BatchNormalization",
                n -> n.addOutput("running_mean").addOutput("running_var"));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> AdaptiveGraphRewriter.rewrite(OnnxModel.of(m)));
        assertEquals(ModelFormatException.Reason.UNSUPPORTED, e.reason());
        assertTrue(e.getMessage().contains("[running_mean, running_var]"), e.getMessage());
    }

    @Test
    void anExplicitTrainingModeZeroStaysAdaptableAndExact() throws Exception {
        ModelProto m = HostileModels.withNode(HostileModels.oneBatchNorm(15), "BatchNormalization",
                n -> n.addAttribute(HostileModels.intAttribute("training_mode", 0)));
        AdaptiveModel adaptive = AdaptiveGraphRewriter.rewrite(OnnxModel.of(m));
        assertEquals(1, adaptive.layerCount());
        float[] input = Arrays2.gaussian(new Random(2), 2 * 4 * 9, 0.2, 1.0);
        String output = m.getGraph().getOutput(0).getName();
        float[] expected = PlainOrt.run(m, "x", input, new long[]{2, 4, 3, 3}, output);
        float[] actual = HostileModels.atBlendZero(adaptive, input, 2, output);
        assertTrue(Arrays2.maxScaledDiff(actual, expected) <= 1e-5, Arrays2.maxScaledDiff(actual, expected) + "");
    }
}
