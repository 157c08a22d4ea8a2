package io.adastream.models.eval;

import io.adastream.adapt.inference.AdaptationMode;
import io.adastream.adapt.stats.policy.Policies;
import io.adastream.models.metrics.DetectionAveragePrecision;
import io.adastream.models.metrics.LabeledBox;
import io.adastream.models.metrics.SegmentationConfusion;
import io.adastream.models.spec.ModelSpec;
import io.adastream.models.synth.SceneClasses;
import io.adastream.models.task.Box;
import io.adastream.models.task.Detection;
import io.adastream.models.task.TaskResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TraceRecorderTest {

    private static EvalModel model;

    @BeforeAll
    static void open() throws Exception {
        model = TinyModel.open();
    }

    @AfterAll
    static void close() throws Exception {
        model.close();
    }

    /** Every prediction of every replay, for computing the windowed accuracy independently. */
    static final class AllPredictions implements ReplayObserver {
        final List<List<byte[]>> masks = new ArrayList<>();
        final List<List<byte[]>> truths = new ArrayList<>();
        final List<String> policies = new ArrayList<>();

        @Override
        public void begin(EvalStream stream, String policy, int batch, AdaptationMode mode) {
            masks.add(new ArrayList<>());
            truths.add(new ArrayList<>());
            policies.add(policy);
        }

        @Override
        public void scored(int index, EvalFrame frame, TaskResult prediction) {
            assertEquals(masks.get(masks.size() - 1).size(), index, "frames arrive in stream order");
            masks.get(masks.size() - 1).add(((TaskResult.Segmentation) prediction).mask().clone());
            truths.get(truths.size() - 1).add(frame.classMask());
        }

        @Override
        public void end() {
        }
    }

    /** Both observers, in turn. */
    static ReplayObserver both(ReplayObserver a, ReplayObserver b) {
        return new ReplayObserver() {
            @Override
            public void begin(EvalStream stream, String policy, int batch, AdaptationMode mode) {
                a.begin(stream, policy, batch, mode);
                b.begin(stream, policy, batch, mode);
            }

            @Override
            public void scored(int index, EvalFrame frame, TaskResult prediction) {
                a.scored(index, frame, prediction);
                b.scored(index, frame, prediction);
            }

            @Override
            public void end() {
                a.end();
                b.end();
            }
        };
    }

    /** mIoU of frames max(0, i - window + 1)..i, from a fresh confusion matrix per window. */
    static double[] windowedMeanIoU(List<byte[]> truths, List<byte[]> masks, int classes, int window) {
        double[] out = new double[masks.size()];
        for (int i = 0; i < masks.size(); i++) {
            SegmentationConfusion c = new SegmentationConfusion(classes);
            for (int j = Math.max(0, i - window + 1); j <= i; j++) {
                c.add(truths.get(j), masks.get(j));
            }
            out[i] = c.meanIoU();
        }
        return out;
    }

    /** Replays a continual stream (two conditions) under source and adabn with batch 2, traced and recorded whole. */
    static Recorded replayContinual(EvalModel model, int window) throws Exception {
        EvalStream stream = new EvalStreams(5, TinyModel.SIZE, TinyModel.SIZE)
                .continual(List.of(Condition.CLEAN, Condition.parse("low_light-5")), 9);
        TraceRecorder recorder = new TraceRecorder(model.spec(), window, 4, 2, AdaptationMode.FUSED, s -> true);
        AllPredictions all = new AllPredictions();
        StreamReplay replay = new StreamReplay(model);
        replay.observe(both(recorder, all));
        List<CellResult> cells = new ArrayList<>();
        for (String policy : List.of("source", "adabn")) {
            cells.add(replay.run(stream, policy, Policies.create(policy), 2, AdaptationMode.FUSED));
        }
        // another batch size and mode: not traced
        replay.run(stream, "ema", Policies.create("ema"), 1, AdaptationMode.FUSED);
        replay.run(stream, "ema", Policies.create("ema"), 2, AdaptationMode.TWO_PASS);
        return new Recorded(recorder.traces(), all, cells);
    }

    record Recorded(List<StreamTrace> traces, AllPredictions all, List<CellResult> cells) {
    }

    @Test
    void perFrameAccuracyIsTheMeanIoUOfTheLastWindowFrames() throws Exception {
        Recorded r = replayContinual(model, 4);
        assertEquals(1, r.traces().size());
        StreamTrace t = r.traces().get(0);
        assertEquals("continual", t.name());
        assertEquals(18, t.frames());
        assertEquals(List.of("source", "adabn"), t.traces().stream().map(AccuracyTrace::policy).toList());
        for (int p = 0; p < 2; p++) {
            AccuracyTrace trace = t.traces().get(p);
            assertEquals(2, trace.batch());
            double[] expected = windowedMeanIoU(r.all().truths.get(p), r.all().masks.get(p), SceneClasses.NAMES.size(), 4);
            assertArrayEquals(expected, trace.values(), 1e-12, trace.policy());
            assertFalse(Double.isNaN(trace.value(0)));
        }
        // the adapted policy's per-frame numbers differ from the source's on the shifted half
        assertFalse(java.util.Arrays.equals(t.traces().get(0).values(), t.traces().get(1).values()));
        assertNull(t.trace("ema"), "other batch sizes and modes are not traced");
    }

    @Test
    void aWindowAsLongAsTheStreamEndsOnTheCellsWholeStreamAccuracy() throws Exception {
        EvalStream stream = new EvalStreams(5, TinyModel.SIZE, TinyModel.SIZE)
                .singleDomain(new EvalStreams(5, TinyModel.SIZE, TinyModel.SIZE).singleDomainScenes(7), Condition.parse("fog-5"));
        TraceRecorder recorder = new TraceRecorder(model.spec(), 7, 2, 1, AdaptationMode.FUSED, s -> true);
        StreamReplay replay = new StreamReplay(model);
        replay.observe(recorder);
        CellResult cell = replay.run(stream, "ema", Policies.create("ema"), 1, AdaptationMode.FUSED);
        CellResult oracle = replay.oracle(stream);
        StreamTrace t = recorder.traces().get(0);
        assertEquals("single-fog-5", t.name());
        assertEquals(cell.accuracy("fog-5"), t.trace("ema").value(6), 1e-12);
        assertEquals(oracle.accuracy("fog-5"), t.trace(StreamReplay.ORACLE).value(6), 1e-12);
    }

    @Test
    void segmentsAndSampleFramesFollowTheStream() throws Exception {
        Recorded r = replayContinual(model, 4);
        StreamTrace t = r.traces().get(0);
        assertEquals(List.of(new StreamTrace.Segment(0, "clean"), new StreamTrace.Segment(9, "low_light-5")), t.segments());
        // 4 samples of 18 frames: the middles of 4 equal parts
        assertEquals(List.of(2, 6, 11, 15), t.samples().stream().map(StreamTrace.SampleFrame::index).toList());
        assertEquals(List.of("clean", "clean", "low_light-5", "low_light-5"),
                t.samples().stream().map(StreamTrace.SampleFrame::row).toList());
        for (StreamTrace.SampleFrame s : t.samples()) {
            assertEquals(Set.of("source", "adabn"), s.masks().keySet());
            for (int p = 0; p < 2; p++) {
                assertArrayEquals(r.all().masks.get(p).get(s.index()), s.masks().get(r.all().policies.get(p)));
                assertArrayEquals(r.all().truths.get(p).get(s.index()), s.frame().classMask());
            }
        }
    }

    @Test
    void sampleIndicesAreTheMiddlesOfEqualParts() {
        assertArrayEquals(new int[]{25, 75, 125, 175}, TraceRecorder.sampleIndices(200, 4));
        assertArrayEquals(new int[]{0, 1, 2}, TraceRecorder.sampleIndices(3, 4));
        assertArrayEquals(new int[]{}, TraceRecorder.sampleIndices(10, 0));
    }

    @Test
    void theEvaluationTracesTheFirstBatchAndThePicturedStreams() throws Exception {
        EvalOptions o = EvalOptions.defaults().withFrames(5).withBatches(List.of(4, 1))
                .withPolicies(List.of("source", "prior-decay")).withModePolicies(List.of())
                .withCyclic(Condition.CLEAN, Condition.parse("fog-5"), 2, 2, 4);
        Evaluation evaluation = new Evaluation(model, o, ProgressListener.NONE).recordTraces(3, 2);
        evaluation.run();
        List<StreamTrace> traces = evaluation.traces();
        assertEquals(List.of("single-clean", "single-fog-5", "continual", "cyclic"),
                traces.stream().map(StreamTrace::name).toList());
        for (StreamTrace t : traces) {
            boolean single = t.name().startsWith("single");
            assertEquals(single ? List.of("source", "prior-decay", StreamReplay.ORACLE) : List.of("source", "prior-decay"),
                    t.traces().stream().map(AccuracyTrace::policy).toList(), t.name());
            assertEquals(2, t.samples().size());
            for (AccuracyTrace a : t.traces()) {
                assertEquals(a.policy().equals(StreamReplay.ORACLE) ? 1 : 4, a.batch());
                assertEquals(t.frames(), a.frames());
            }
        }
        assertEquals(5, traces.get(0).frames());
        assertEquals(13 * 5 + 5, traces.get(2).frames(), "continual: clean, 12 corruptions, clean again");
    }

    @Test
    void detectorAccuracyIsTheMap50OfTheLastWindowFrames() {
        List<String> classes = List.of("background", "a", "b");
        ModelSpec spec = new ModelSpec("det", ModelSpec.DETECTION, "det.onnx",
                ModelSpec.Input.of("x", 8, 8, new float[]{0, 0, 0}, new float[]{1, 1, 1}), classes,
                ModelSpec.Output.of("y"), new ModelSpec.DetectionSettings(0.1f, 0.5f, 10));
        TraceRecorder recorder = new TraceRecorder(spec, 3, 4, 1, AdaptationMode.FUSED, s -> true);
        List<EvalFrame> frames = new ArrayList<>();
        List<List<Detection>> detections = new ArrayList<>();
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 9; i++) {
            List<LabeledBox> truth = i == 0 ? List.of() : List.of(new LabeledBox(1 + i % 2, new Box(1, 1, 5, 5)));
            frames.add(new EvalFrame(8, 8, new int[64], new byte[64], truth));
            float shift = random.nextFloat() * 3;
            detections.add(List.of(new Detection(1 + random.nextInt(2), 0.2f + random.nextFloat() * 0.7f,
                    new Box(1 + shift, 1, 5 + shift, 5))));
        }
        EvalStream stream = new EvalStream("det", List.of(new EvalStream.Block("clean", Condition.CLEAN, frames)));
        recorder.begin(stream, "ema", 1, AdaptationMode.FUSED);
        for (int i = 0; i < 9; i++) {
            recorder.scored(i, frames.get(i), new TaskResult.Detections(8, 8, detections.get(i)));
        }
        recorder.end();
        StreamTrace t = recorder.traces().get(0);
        assertTrue(t.samples().isEmpty(), "no masks for a detector");
        AccuracyTrace trace = t.trace("ema");
        assertTrue(Double.isNaN(trace.value(0)), "no ground truth in the first window");
        int distinct = 0;
        for (int i = 1; i < 9; i++) {
            DetectionAveragePrecision ap = new DetectionAveragePrecision(2);
            for (int j = Math.max(0, i - 2); j <= i; j++) {
                ap.addFrame(frames.get(j).boxes(), detections.get(j));
            }
            assertEquals(ap.map50(), trace.value(i), 1e-12, "frame " + i);
            distinct += trace.value(i) != trace.value(i - 1) ? 1 : 0;
        }
        assertTrue(distinct >= 3, "the window moves: " + java.util.Arrays.toString(trace.values()));
    }
}
