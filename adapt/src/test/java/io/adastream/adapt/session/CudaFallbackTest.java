package io.adastream.adapt.session;

import io.adastream.adapt.onnx.AdaptiveGraphRewriter;
import io.adastream.adapt.onnx.AdaptiveModel;
import io.adastream.adapt.onnx.OnnxModel;
import io.adastream.adapt.testing.ReferenceNetworks;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void theFallbackWarningSaysWhyAndWhatTheGpuBuildNeeds() {
        String message = AdaptiveSession.warnCpuFallback(3, new IllegalStateException("libcudnn.so.9: cannot open\nmore"));
        assertTrue(message.contains("device 3") && message.contains("libcudnn.so.9: cannot open")
                && !message.contains("more") && message.contains("mvn -Pgpu"), message);
    }

    /** On the GPU build ({@code mvn -Pgpu}): CUDA when a device answers, else the CPU fallback; same outputs either way. */
    @Test
    void onTheGpuBuildCudaOrItsFallbackGivesTheCpuOutputs() throws Exception {
        assumeTrue(ai.onnxruntime.OrtEnvironment.getAvailableProviders().contains(ai.onnxruntime.OrtProvider.CUDA),
                "not the GPU build (mvn -Pgpu): no CUDA provider to test");
        AdaptiveModel model = AdaptiveGraphRewriter.rewrite(OnnxModel.of(ReferenceNetworks.convNet(13, 4, 8, 5)));
        float[] cpu = run(model, SessionConfig.cpu());
        float[] cuda = run(model, SessionConfig.cuda(0));
        for (int i = 0; i < cpu.length; i++) {
            assertEquals(cpu[i], cuda[i], 1e-4 * Math.max(1, Math.abs(cpu[i])), "output " + i);
        }
    }

    private static float[] run(AdaptiveModel model, SessionConfig config) throws Exception {
        try (AdaptiveSession s = AdaptiveSession.open(model, config); Workspace ws = s.newWorkspace(2)) {
            System.out.println("session on " + s.provider());
            java.nio.FloatBuffer in = ws.input();
            for (int i = 0; i < in.capacity(); i++) {
                in.put(i, (float) Math.sin(i * 0.37));
            }
            for (int f = 0; f < 2; f++) {
                for (var l : model.layers()) {
                    ws.setStatistics(f, l.index(), l.sourceMean(), l.sourceVar());
                    ws.setBlend(f, l.index(), 0.3f);
                }
            }
            ws.run();
            java.nio.FloatBuffer out = ws.output(model.modelOutputs().get(0));
            float[] values = new float[out.remaining()];
            out.duplicate().get(values);
            return values;
        }
    }
}
