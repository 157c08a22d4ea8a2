package io.adastream.topology;

import io.adastream.adapt.stats.DomainAdapter;
import io.adastream.adapt.stats.DomainState;
import io.adastream.adapt.stats.FrameOutcome;
import io.adastream.models.task.TaskResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The contract of {@link FrameInference}, on the one-frame implementation. */
class SessionFrameInferenceTest {

    private ModelRuntime runtime;

    @BeforeEach
    void open() throws Exception {
        runtime = TestModels.runtime("prior-decay", Map.of());
    }

    @AfterEach
    void close() throws Exception {
        runtime.close();
    }

    @Test
    void framesOfSeveralDomainsInOneCallGetTheSameResultsAndStatesAsOneByOne() throws Exception {
        BufferedImage dark = image(1, 0);
        BufferedImage bright = image(2, 150);
        DomainAdapter adapterA = new DomainAdapter(runtime.source());
        DomainAdapter adapterB = new DomainAdapter(runtime.source());
        DomainState a1 = adapterA.newDomain(runtime.defaultPolicy());
        DomainState b1 = adapterA.newDomain(runtime.defaultPolicy());
        DomainState a2 = adapterB.newDomain(runtime.defaultPolicy());
        DomainState b2 = adapterB.newDomain(runtime.defaultPolicy());
        List<FrameInference.Result> together;
        FrameInference.Result aAlone;
        FrameInference.Result bAlone;
        try (FrameInference inference = new SessionFrameInference(runtime, adapterA, true)) {
            together = inference.inferAll(List.of(new FrameInference.Request("a", a1, dark, null),
                    new FrameInference.Request("b", b1, bright, null)));
        }
        try (FrameInference inference = new SessionFrameInference(runtime, adapterB, true)) {
            aAlone = inference.infer(new FrameInference.Request("a", a2, dark, null));
            bAlone = inference.infer(new FrameInference.Request("b", b2, bright, null));
        }
        assertEquals(2, together.size());
        assertSame(aAlone, together.get(0));
        assertSame(bAlone, together.get(1));
        for (DomainState[] pair : new DomainState[][]{{a1, a2}, {b1, b2}}) {
            assertEquals(1, pair[0].frameCount());
            assertEquals(pair[1].frameCount(), pair[0].frameCount());
            for (int l = 0; l < pair[0].layers(); l++) {
                assertArrayEquals(pair[1].fedMean(l), pair[0].fedMean(l), 0f, "layer " + l);
            }
        }
        // each frame was run with its own domain's statistics: the two domains now differ
        assertNotEquals(a1.mean(0, 0), b1.mean(0, 0));
        // the result is in the frame's pixels, and the source run is there when asked for
        TaskResult.Segmentation s = (TaskResult.Segmentation) together.get(0).result();
        assertEquals(dark.getWidth(), s.width());
        assertEquals(dark.getHeight(), s.height());
        assertEquals(s.width() * s.height(), ((TaskResult.Segmentation) together.get(0).sourceResult()).mask().length);
    }

    @Test
    void withoutTheShadowRunThereIsNoSourceResult() throws Exception {
        DomainAdapter adapter = new DomainAdapter(runtime.source());
        DomainState state = adapter.newDomain(runtime.defaultPolicy());
        try (FrameInference inference = new SessionFrameInference(runtime, adapter, false)) {
            FrameInference.Result r = inference.infer(new FrameInference.Request("a", state, image(3, 40), null));
            assertNull(r.sourceResult());
            assertNotEquals(FrameOutcome.REJECTED_NON_FINITE, r.outcome());
            assertEquals(1, state.frameCount());
        }
    }

    private static void assertSame(FrameInference.Result expected, FrameInference.Result actual) {
        assertEquals(expected.outcome(), actual.outcome());
        assertEquals(expected.shiftScore(), actual.shiftScore(), 0.0);
        assertEquals(expected.weight(), actual.weight(), 0.0);
        assertArrayEquals(((TaskResult.Segmentation) expected.result()).mask(), ((TaskResult.Segmentation) actual.result()).mask());
        assertArrayEquals(((TaskResult.Segmentation) expected.sourceResult()).mask(),
                ((TaskResult.Segmentation) actual.sourceResult()).mask());
    }

    private static BufferedImage image(long seed, int offset) throws Exception {
        return ImageIO.read(new ByteArrayInputStream(TestModels.png(seed, TestModels.SIZE * 2, TestModels.SIZE, offset)));
    }
}
