package io.adastream.adapt.inference;

import io.adastream.adapt.onnx.AdaptiveGraphRewriter;
import io.adastream.adapt.onnx.AdaptiveModel;
import io.adastream.adapt.onnx.OnnxModel;
import io.adastream.adapt.session.AdaptiveSession;
import io.adastream.adapt.session.SessionConfig;
import io.adastream.adapt.session.Workspace;
import io.adastream.adapt.stats.DomainAdapter;
import io.adastream.adapt.stats.DomainState;
import io.adastream.adapt.stats.FrameOutcome;
import io.adastream.adapt.stats.SourceStatistics;
import io.adastream.adapt.stats.policy.Policies;
import io.adastream.adapt.testing.Arrays2;
import io.adastream.adapt.testing.ReferenceNetworks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Passes of many threads batched by one inference thread: each frame's result is its own, and a caller waits for it. */
class BatchingExecutorTest {

    static AdaptiveModel model;
    static AdaptiveSession session;
    static final int SAMPLE = 3 * 32 * 32;
    static final int OUT = 10;

    @BeforeAll
    static void open() throws Exception {
        model = AdaptiveGraphRewriter.rewrite(OnnxModel.of(ReferenceNetworks.resnet(13, 32, new int[]{1, 1}, 8, 9)));
        session = AdaptiveSession.open(model, SessionConfig.cpu().withIntraOpThreads(1));
    }

    @AfterAll
    static void close() throws Exception {
        session.close();
    }

    @Test
    void threeThreadsFusedBatchedGiveEveryFrameAndDomainWhatItGetsAlone() throws Exception {
        threeThreads(AdaptationMode.FUSED);
    }

    @Test
    void threeThreadsTwoPassBatchedGiveEveryFrameAndDomainWhatItGetsAlone() throws Exception {
        threeThreads(AdaptationMode.TWO_PASS);
    }

    /**
     * Three threads, two domains each, six frames each, through an executor of batch 8 that may wait 30 s: every
     * thread has a pass waiting before each batch goes, so every batch holds exactly 3 frames (a count, not a
     * timing), and every output and final state equals the same thread's frames run directly, one at a time.
     */
    private void threeThreads(AdaptationMode mode) throws Exception {
        int threads = 3;
        int frames = 6;
        SourceStatistics source = SourceStatistics.of(model);
        float[][][] input = new float[threads][frames][];
        Random r = new Random(21);
        for (int t = 0; t < threads; t++) {
            for (int f = 0; f < frames; f++) {
                input[t][f] = Arrays2.gaussian(r, SAMPLE, t - 1 + 0.1 * f, 1 + 0.3 * t);
            }
        }
        float[][][] expected = new float[threads][][];
        List<DomainState[]> expectedStates = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            DomainAdapter adapter = new DomainAdapter(source);
            DomainState[] domains = {adapter.newDomain(Policies.create("prior-decay", Map.of())),
                    adapter.newDomain(Policies.create("prior-decay", Map.of()))};
            try (AdaptiveRunner runner = new AdaptiveRunner(session, adapter, mode)) {
                expected[t] = runFrames(runner, input[t], domains);
            }
            expectedStates.add(domains);
        }

        CyclicBarrier allOpen = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (BatchingExecutor executor = new BatchingExecutor(session, 8, Duration.ofSeconds(30), Map.of())) {
            List<Future<float[][]>> results = new ArrayList<>();
            List<DomainState[]> states = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                DomainAdapter adapter = new DomainAdapter(source);
                DomainState[] domains = {adapter.newDomain(Policies.create("prior-decay", Map.of())),
                        adapter.newDomain(Policies.create("prior-decay", Map.of()))};
                states.add(domains);
                float[][] mine = input[t];
                results.add(pool.submit(() -> {
                    try (BatchingExecutor.Caller caller = executor.open();
                         AdaptiveRunner runner = new AdaptiveRunner(session, adapter, mode, caller)) {
                        allOpen.await(30, TimeUnit.SECONDS);
                        return runFrames(runner, mine, domains);
                    }
                }));
            }
            for (int t = 0; t < threads; t++) {
                float[][] got = results.get(t).get(120, TimeUnit.SECONDS);
                for (int f = 0; f < frames; f++) {
                    assertArrayEquals(expected[t][f], got[f], 1e-5f, "thread " + t + " frame " + f);
                }
                for (int d = 0; d < 2; d++) {
                    DomainState want = expectedStates.get(t)[d];
                    DomainState have = states.get(t)[d];
                    assertEquals(want.frameCount(), have.frameCount());
                    for (int l = 0; l < model.layerCount(); l++) {
                        assertArrayEquals(want.fedMean(l), have.fedMean(l), 1e-5f);
                        assertArrayEquals(want.fedVar(l), have.fedVar(l), 1e-5f);
                    }
                }
            }
            long[] sizes = executor.batchSizeCounts();
            long passes = (long) frames * (mode == AdaptationMode.TWO_PASS ? 2 : 1);
            long[] want = new long[9];
            want[3] = passes;
            assertArrayEquals(want, sizes, "every batch holds one pass of each of the 3 threads");
        } finally {
            pool.shutdownNow();
        }
    }

    /** Frame f goes to domain f % 2; returns each frame's output. */
    private static float[][] runFrames(AdaptiveRunner runner, float[][] frames, DomainState[] domains) throws Exception {
        Workspace ws = runner.workspace(1);
        float[][] out = new float[frames.length][];
        FrameOutcome[] outcome = new FrameOutcome[1];
        for (int f = 0; f < frames.length; f++) {
            ws.input().put(0, frames[f]);
            runner.run(ws, new DomainState[]{domains[f % 2]}, outcome);
            assertEquals(FrameOutcome.FOLDED, outcome[0]);
            out[f] = output(ws);
        }
        return out;
    }

    /**
     * With a batch of 2 and a 60 s wait, a caller whose batch is not full stays blocked in its call (its work is
     * not done) until the second thread's frame fills the batch; then both get their own results.
     */
    @Test
    void aCallerBlocksInItsCallUntilItsBatchHasRun() throws Exception {
        Random r = new Random(5);
        float[] first = Arrays2.gaussian(r, SAMPLE, 0.5, 1.0);
        float[] second = Arrays2.gaussian(r, SAMPLE, -0.5, 2.0);
        float[] firstAlone;
        float[] secondAlone;
        try (Workspace ws = session.newWorkspace(1)) {
            firstAlone = runSource(ws, first, PassRunner.DIRECT);
            secondAlone = runSource(ws, second, PassRunner.DIRECT);
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (BatchingExecutor executor = new BatchingExecutor(session, 2, Duration.ofSeconds(60), Map.of());
             Workspace a = session.newWorkspace(1);
             Workspace b = session.newWorkspace(1)) {
            CompletableFuture<BatchingExecutor.Caller> secondCaller = new CompletableFuture<>();
            CompletableFuture<Void> secondGo = new CompletableFuture<>();
            Future<float[]> secondResult = pool.submit(() -> {
                try (BatchingExecutor.Caller caller = executor.open()) {
                    secondCaller.complete(caller);
                    secondGo.get(60, TimeUnit.SECONDS);
                    return runSource(b, second, caller);
                }
            });
            secondCaller.get(30, TimeUnit.SECONDS); // two threads now hold callers: a batch may wait for both
            AtomicReference<Thread> firstThread = new AtomicReference<>();
            Future<float[]> firstResult = pool.submit(() -> {
                firstThread.set(Thread.currentThread());
                try (BatchingExecutor.Caller caller = executor.open()) {
                    return runSource(a, first, caller);
                }
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> firstThread.get() != null
                    && firstThread.get().getState() == Thread.State.WAITING);
            assertFalse(firstResult.isDone(), "the first caller's call has not returned: its batch has not run");
            assertEquals(0, executor.batchSizeCounts()[1] + executor.batchSizeCounts()[2]);
            secondGo.complete(null);
            assertArrayEquals(firstAlone, firstResult.get(60, TimeUnit.SECONDS), 1e-5f);
            assertArrayEquals(secondAlone, secondResult.get(60, TimeUnit.SECONDS), 1e-5f);
            assertArrayEquals(new long[]{0, 0, 1}, executor.batchSizeCounts(), "one batch of both frames");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void batchMaxOneRunsEveryPassAlone() throws Exception {
        try (BatchingExecutor executor = new BatchingExecutor(session, 1, Duration.ofMillis(50), Map.of());
             BatchingExecutor.Caller caller = executor.open();
             Workspace ws = session.newWorkspace(1)) {
            float[] frame = Arrays2.gaussian(new Random(3), SAMPLE, 0, 1);
            float[] alone = runSource(ws, frame, PassRunner.DIRECT);
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(alone, runSource(ws, frame, caller), 0f, "the same run, bit for bit");
            }
            assertArrayEquals(new long[]{0, 3}, executor.batchSizeCounts());
        }
    }

    @Test
    void aClosedExecutorRefusesPassesWithAClearError() throws Exception {
        BatchingExecutor executor = new BatchingExecutor(session, 4, Duration.ofMillis(5), Map.of());
        BatchingExecutor.Caller caller = executor.open();
        executor.close();
        try (Workspace ws = session.newWorkspace(1)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> caller.run(ws));
            assertEquals("the inference executor is closed", e.getMessage());
        }
    }

    /** The frame with the source statistics and blend 0, run through {@code pass}. */
    private static float[] runSource(Workspace ws, float[] frame, PassRunner pass) throws Exception {
        ws.input().put(0, frame);
        for (var l : model.layers()) {
            ws.setStatistics(0, l.index(), l.sourceMean(), l.sourceVar());
            ws.setBlend(0, l.index(), 0f);
        }
        pass.run(ws);
        return output(ws);
    }

    private static float[] output(Workspace ws) throws Exception {
        FloatBuffer b = ws.output(model.modelOutputs().get(0));
        float[] out = new float[OUT];
        b.get(0, out);
        return out;
    }
}
