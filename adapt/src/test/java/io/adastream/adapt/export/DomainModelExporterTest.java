package io.adastream.adapt.export;

import ai.onnx.proto.OnnxMl.ModelProto;
import io.adastream.adapt.onnx.AdaptiveGraphRewriter;
import io.adastream.adapt.onnx.AdaptiveModel;
import io.adastream.adapt.onnx.BatchNormLayer;
import io.adastream.adapt.onnx.BatchNormInspector;
import io.adastream.adapt.onnx.OnnxModel;
import io.adastream.adapt.session.AdaptiveSession;
import io.adastream.adapt.session.SessionConfig;
import io.adastream.adapt.session.Workspace;
import io.adastream.adapt.testing.Arrays2;
import io.adastream.adapt.testing.PlainOrt;
import io.adastream.adapt.testing.ReferenceNetworks;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-domain export must compute what the adaptive session computes for that domain at blend weight 0. */
class DomainModelExporterTest {

    @ParameterizedTest(name = "opset {0}")
    @ValueSource(ints = {9, 13, 18, 21})
    void exportedModelEqualsTheAdaptiveSessionAtWeightZero(int opset) throws Exception {
        ModelProto original = ReferenceNetworks.resnet(opset, 32, new int[]{1, 1}, 8, opset);
        OnnxModel model = OnnxModel.of(original);
        AdaptiveModel adaptive = AdaptiveGraphRewriter.rewrite(model);
        Random r = new Random(opset);
        int layers = adaptive.layerCount();
        float[][] mean = new float[layers][];
        float[][] var = new float[layers][];
        for (BatchNormLayer l : adaptive.layers()) {
            mean[l.index()] = Arrays2.gaussian(r, l.channels(), 0.3, 0.5);
            var[l.index()] = new float[l.channels()];
            for (int c = 0; c < l.channels(); c++) {
                var[l.index()][c] = (float) (0.3 + 2 * r.nextDouble());
            }
        }
        byte[] exported = DomainModelExporter.export(model, adaptive.layers(), mean, var, "camera-7");
        OnnxModel reread = OnnxModel.parse(exported);
        assertEquals(layers, BatchNormInspector.inspect(reread).layers().size());
        assertEquals(original.getGraph().getInputCount(), reread.proto().getGraph().getInputCount(), "no extra inputs");

        float[] input = Arrays2.gaussian(r, 3 * 32 * 32, 0, 1);
        float[] expected;
        try (AdaptiveSession s = AdaptiveSession.open(adaptive, SessionConfig.cpu().withIntraOpThreads(1));
             Workspace ws = s.newWorkspace(1)) {
            ws.input().put(0, input);
            for (int l = 0; l < layers; l++) {
                ws.setStatistics(0, l, mean[l], var[l]);
                ws.setBlend(0, l, 0f);
            }
            ws.run();
            FloatBuffer b = ws.output(adaptive.modelOutputs().get(0));
            expected = new float[b.remaining()];
            b.get(expected);
        }
        float[] actual = PlainOrt.run(reread.proto(), "image", input, new long[]{1, 3, 32, 32},
                adaptive.modelOutputs().get(0));
        double diff = Arrays2.maxScaledDiff(actual, expected);
        assertTrue(diff <= 1e-5, "max scaled diff " + diff);
        float[] source = PlainOrt.run(original, "image", input, new long[]{1, 3, 32, 32}, adaptive.modelOutputs().get(0));
        assertTrue(Arrays2.maxScaledDiff(source, expected) > 1e-3, "the domain statistics must matter");
    }

    @Test
    void refusesStatisticsThatDoNotFitOrAreNotFinite() throws Exception {
        OnnxModel model = OnnxModel.of(ReferenceNetworks.mlp(13, 1));
        var layers = BatchNormInspector.inspect(model).layers();
        float[][] mean = {layers.get(0).sourceMean().clone(), layers.get(1).sourceMean().clone()};
        float[][] var = {layers.get(0).sourceVar().clone(), layers.get(1).sourceVar().clone()};
        var[1][0] = Float.NaN;
        assertThrows(IllegalArgumentException.class, () -> DomainModelExporter.export(model, layers, mean, var, "d"));
        var[1][0] = -1;
        assertThrows(IllegalArgumentException.class, () -> DomainModelExporter.export(model, layers, mean, var, "d"));
        assertThrows(IllegalArgumentException.class,
                () -> DomainModelExporter.export(model, layers, new float[][]{mean[0]}, new float[][]{var[0]}, "d"));
    }
}
