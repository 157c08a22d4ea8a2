package io.adastream.adapt.session;

import io.adastream.adapt.onnx.AdaptiveGraphRewriter;
import io.adastream.adapt.onnx.AdaptiveModel;
import io.adastream.adapt.onnx.OnnxModel;
import io.adastream.adapt.testing.ReferenceNetworks;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** Asking for CUDA where ONNX Runtime has no CUDA provider falls back to CPU instead of failing. */
class CudaFallbackTest {

    @Test
    void cudaRequestWithoutTheGpuBuildRunsOnCpu() throws Exception {
        assumeFalse(ai.onnxruntime.OrtEnvironment.getAvailableProviders().contains(ai.onnxruntime.OrtProvider.CUDA),
                "this ONNX Runtime build has the CUDA provider; the fallback path is not reachable here");
        AdaptiveModel model = AdaptiveGraphRewriter.rewrite(OnnxModel.of(ReferenceNetworks.mlp(13, 1)));
        try (AdaptiveSession s = AdaptiveSession.open(model, SessionConfig.cuda(0))) {
            assertEquals(SessionConfig.Provider.CPU, s.provider());
        }
    }
}
