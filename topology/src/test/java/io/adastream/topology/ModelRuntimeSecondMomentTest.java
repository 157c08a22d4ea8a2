package io.adastream.topology;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import io.adastream.adapt.inference.AdaptationMode;
import io.adastream.adapt.onnx.AdaptiveGraphRewriter.SecondMoment;
import io.adastream.adapt.session.SessionConfig;
import io.adastream.models.spec.BundledModels;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The service's runtime builds its adaptive graph with the second moment its session configuration names. */
class ModelRuntimeSecondMomentTest {

    @Test
    void theConfiguredFormIsTheOneInTheServedGraph() throws Exception {
        try (ModelRuntime matmul = runtime(SecondMoment.MATMUL); ModelRuntime mulSum = runtime(SecondMoment.MUL_SUM)) {
            int layers = matmul.adaptive().layerCount();
            assertEquals(layers, count(matmul, "MatMul"), "one MatMul per layer");
            assertEquals(0, count(matmul, "ReduceSum"));
            assertEquals(0, count(mulSum, "MatMul"));
            assertEquals(layers, count(mulSum, "ReduceSum"), "one ReduceSum per layer");
        }
    }

    private static ModelRuntime runtime(SecondMoment form) throws Exception {
        return new ModelRuntime(BundledModels.spec(BundledModels.SEGMENTER), BundledModels.onnx(BundledModels.SEGMENTER),
                SessionConfig.cpu().withIntraOpThreads(1).withSecondMoment(form), "prior-decay", Map.of(),
                AdaptationMode.FUSED);
    }

    private static long count(ModelRuntime runtime, String opType) throws Exception {
        return ModelProto.parseFrom(runtime.adaptive().adaptiveBytes()).getGraph().getNodeList().stream()
                .map(NodeProto::getOpType).filter(opType::equals).count();
    }
}
