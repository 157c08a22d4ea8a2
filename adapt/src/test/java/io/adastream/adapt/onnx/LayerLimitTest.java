package io.adastream.adapt.onnx;

import io.adastream.adapt.testing.HostileModels;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Complexity guard for very deep models: ONNX Runtime's session setup over the adaptive graph grows faster than the
 * square of its size, so models past {@link AdaptiveGraphRewriter#MAX_LAYERS} are refused at once instead of stalling.
 * The timeouts are generous bounds (seconds of work take minutes only if something grows faster than linearly).
 */
class LayerLimitTest {

    @Test
    void aChainOfTwoThousandLayersIsRefusedInBoundedTime() {
        OnnxModel model = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> OnnxModel.of(HostileModels.chain(2000)));
        ModelFormatException e = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> assertThrows(ModelFormatException.class, () -> AdaptiveGraphRewriter.rewrite(model)));
        assertEquals(ModelFormatException.Reason.UNSUPPORTED, e.reason());
        assertTrue(e.getMessage().startsWith("the model has 2000 BatchNormalization layers to adapt; at most 500 are supported"),
                e.getMessage());
        assertEquals(2000, assertTimeoutPreemptively(Duration.ofSeconds(60), () -> BatchNormInspector.inspect(model)).layers().size());
    }

    @Test
    void aChainAtTheLimitIsStillRewritten() {
        AdaptiveModel adaptive = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> AdaptiveGraphRewriter.rewrite(OnnxModel.of(HostileModels.chain(AdaptiveGraphRewriter.MAX_LAYERS))));
        assertEquals(AdaptiveGraphRewriter.MAX_LAYERS, adaptive.layerCount());
    }
}
