package io.adastream.topology;

import ai.onnx.proto.OnnxMl.ModelProto;
import io.adastream.adapt.inference.AdaptationMode;
import io.adastream.adapt.session.SessionConfig;
import io.adastream.adapt.stats.DomainAdapter;
import io.adastream.adapt.stats.DomainState;
import io.adastream.adapt.testing.NetworkBuilder;
import io.adastream.models.task.TaskResult;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The processor's frame inference with the instance's batching executor: tasks on several threads share batches,
 * each frame's prediction and each domain's state are what they are without batching, and a model whose graph fixes
 * its batch to 1 is freed or, where it cannot be, runs at batch 1 with one line saying why.
 */
class BatchedFrameInferenceTest {

    static final int THREADS = 3;
    static final int FRAMES = 4;

    @Test
    void tasksOnThreeThreadsShareBatchesAndGetThePredictionsAndStatesOfUnbatchedRuns() throws Exception {
        ModelProto model = TestModels.segmenter();
        BufferedImage[][] images = new BufferedImage[THREADS][FRAMES];
        for (int t = 0; t < THREADS; t++) {
            for (int f = 0; f < FRAMES; f++) {
                images[t][f] = image(10L * t + f, 40 * t);
            }
        }
        List<List<FrameInference.Result>> expected = new ArrayList<>();
        List<DomainState> expectedStates = new ArrayList<>();
        try (ModelRuntime plain = runtime(model, ModelRuntime.Batching.NONE)) {
            for (int t = 0; t < THREADS; t++) {
                DomainAdapter adapter = new DomainAdapter(plain.source());
                DomainState state = adapter.newDomain(plain.defaultPolicy());
                try (FrameInference inference = new SessionFrameInference(plain, adapter, true)) {
                    expected.add(run(inference, state, images[t]));
                }
                expectedStates.add(state);
            }
        }
        // a 30 s wait: each batch goes when every thread has its pass waiting, so each holds exactly one per thread
        try (ModelRuntime batched = runtime(model, new ModelRuntime.Batching(8, Duration.ofSeconds(30)))) {
            assertEquals(8, batched.batching().max());
            assertEquals("", batched.batchingNote(), "the tiny segmenter's batch is symbolic already");
            CyclicBarrier allOpen = new CyclicBarrier(THREADS);
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                List<Future<List<FrameInference.Result>>> results = new ArrayList<>();
                List<DomainState> states = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    DomainAdapter adapter = new DomainAdapter(batched.source());
                    DomainState state = adapter.newDomain(batched.defaultPolicy());
                    states.add(state);
                    BufferedImage[] mine = images[t];
                    results.add(pool.submit(() -> {
                        try (FrameInference inference = new SessionFrameInference(batched, adapter, true)) {
                            allOpen.await(30, TimeUnit.SECONDS);
                            return run(inference, state, mine);
                        }
                    }));
                }
                for (int t = 0; t < THREADS; t++) {
                    List<FrameInference.Result> got = results.get(t).get(120, TimeUnit.SECONDS);
                    for (int f = 0; f < FRAMES; f++) {
                        assertSameResult(expected.get(t).get(f), got.get(f), "thread " + t + " frame " + f);
                    }
                    assertEquals(FRAMES, states.get(t).frameCount());
                    for (int l = 0; l < states.get(t).layers(); l++) {
                        assertArrayEquals(expectedStates.get(t).fedMean(l), states.get(t).fedMean(l), 1e-5f);
                        assertArrayEquals(expectedStates.get(t).fedVar(l), states.get(t).fedVar(l), 1e-5f);
                    }
                }
            } finally {
                pool.shutdownNow();
            }
            long[] want = new long[9];
            want[THREADS] = 2L * FRAMES; // the adaptive pass and the shadow source pass of every frame
            assertArrayEquals(want, batched.batchSizeCounts());
        }
    }

    @Test
    void aGraphFixedToBatchOneIsFreedAndPredictsWhatTheOriginalPredicts() throws Exception {
        ModelProto fixed = fixedBatchOne(false);
        try (ModelRuntime plain = runtime(fixed, ModelRuntime.Batching.NONE);
             ModelRuntime batched = runtime(fixed, new ModelRuntime.Batching(4, Duration.ofMillis(1)))) {
            assertEquals(4, batched.batching().max());
            assertEquals("model 'tiny-segmenter' fixed its batch dimension to 1 (input 'image' declared batch 1, output '"
                    + fixed.getGraph().getOutput(0).getName() + "' declared batch 1, 2 Reshapes to a constant shape [1, ...]); "
                    + "made symbolic, a batch of 2 checked against two runs of 1", batched.batchingNote());
            assertEquals(plain.adaptive().fingerprintHex(), batched.adaptive().fingerprintHex(),
                    "snapshots stay the original model's");
            BufferedImage[] frames = {image(1, 0), image(2, 90)};
            List<FrameInference.Result> want = runOnce(plain, frames);
            List<FrameInference.Result> got = runOnce(batched, frames);
            for (int f = 0; f < frames.length; f++) {
                assertSameResult(want.get(f), got.get(f), "frame " + f);
            }
            assertEquals(2L * frames.length, batched.batchSizeCounts()[1], "one thread: each pass goes at once");
        }
    }

    @Test
    void aGraphThatCannotBatchRunsAtBatchOneAndSaysWhyOnce() throws Exception {
        ModelProto dropped = fixedBatchOne(true);
        try (ModelRuntime batched = runtime(dropped, new ModelRuntime.Batching(8, Duration.ofMillis(1)))) {
            assertEquals(ModelRuntime.Batching.NONE, batched.batching());
            assertEquals(0, batched.batchSizeCounts().length, "no executor");
            String note = batched.batchingNote();
            assertTrue(note.startsWith("model 'tiny-segmenter' runs at batch 1 (inference.batch.max=8 is not used): "
                    + "ONNX Runtime cannot run it at batch 2"), note);
            assertEquals(1, note.lines().count());
            List<FrameInference.Result> got = runOnce(batched, new BufferedImage[]{image(3, 20)});
            assertEquals(TestModels.SIZE * 2 * TestModels.SIZE, ((TaskResult.Segmentation) got.get(0).result()).mask().length);
        }
    }

    /**
     * The tiny segmenter's shape, exported with batch 1 fixed: input and output [1, ...], and a Reshape to [1, 8, -1]
     * and back to [1, 8, 16, 16] between the blocks; with {@code dropBatch} the first Reshape goes to [8, 256],
     * dropping the batch axis, which no batch of 2 can pass.
     */
    static ModelProto fixedBatchOne(boolean dropBatch) {
        int size = TestModels.SIZE;
        NetworkBuilder b = new NetworkBuilder(13, 77);
        String x = b.input("image", 1, 3, size, size);
        x = b.relu(b.batchNorm(b.conv(x, 3, 8, 3, 1, 2), 8));
        x = dropBatch ? b.reshape(x, 8, (long) size * size) : b.reshape(x, 1, 8, -1);
        x = b.reshape(x, 1, 8, size, size);
        x = b.relu(b.batchNorm(b.conv(x, 8, 8, 3, 1, 2), 8));
        String out = b.conv(x, 8, 3, 1, 1, 2);
        b.floatOutput(out, 1, 3, size, size);
        return b.build();
    }

    private static ModelRuntime runtime(ModelProto model, ModelRuntime.Batching batching) throws Exception {
        return new ModelRuntime(TestModels.spec(model), model.toByteArray(), SessionConfig.cpu().withIntraOpThreads(1),
                "prior-decay", Map.of(), AdaptationMode.FUSED, batching);
    }

    private static List<FrameInference.Result> runOnce(ModelRuntime runtime, BufferedImage[] frames) {
        DomainAdapter adapter = new DomainAdapter(runtime.source());
        DomainState state = adapter.newDomain(runtime.defaultPolicy());
        try (FrameInference inference = new SessionFrameInference(runtime, adapter, true)) {
            return run(inference, state, frames);
        }
    }

    private static List<FrameInference.Result> run(FrameInference inference, DomainState state, BufferedImage[] frames) {
        List<FrameInference.Result> out = new ArrayList<>();
        for (BufferedImage frame : frames) {
            out.add(inference.infer(new FrameInference.Request("d", state, frame, null)));
        }
        return out;
    }

    private static void assertSameResult(FrameInference.Result want, FrameInference.Result got, String what) {
        assertEquals(want.outcome(), got.outcome(), what);
        assertEquals(want.shiftScore(), got.shiftScore(), 1e-6 * (1 + Math.abs(want.shiftScore())), what);
        assertEquals(want.weight(), got.weight(), 1e-12, what);
        assertArrayEquals(((TaskResult.Segmentation) want.result()).mask(), ((TaskResult.Segmentation) got.result()).mask(), what);
        assertArrayEquals(((TaskResult.Segmentation) want.sourceResult()).mask(),
                ((TaskResult.Segmentation) got.sourceResult()).mask(), what);
    }

    private static BufferedImage image(long seed, int offset) throws Exception {
        return ImageIO.read(new ByteArrayInputStream(TestModels.png(seed, TestModels.SIZE * 2, TestModels.SIZE, offset)));
    }
}
