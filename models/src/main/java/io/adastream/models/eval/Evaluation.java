package io.adastream.models.eval;

import ai.onnxruntime.OrtException;
import io.adastream.adapt.inference.AdaptationMode;
import io.adastream.adapt.stats.policy.Policies;
import io.adastream.models.synth.Scene;

import java.util.ArrayList;
import java.util.List;

/**
 * The evaluation harness: renders the benchmark streams for a model and replays each with every policy, batch
 * size and mode the options ask for, reporting each finished cell to a {@link ProgressListener}. Single-domain
 * streams start every domain from fresh source statistics; continual and cyclic streams are one domain throughout.
 */
public final class Evaluation {

    private final EvalModel model;
    private final EvalOptions options;
    private final ProgressListener progress;
    private final StreamReplay replay;
    private final EvalStreams streams;
    private final List<CellResult> cells = new ArrayList<>();
    private TraceRecorder traces;
    private long start;
    private int total;
    private long framesTotal;
    private long framesDone;

    public Evaluation(EvalModel model, EvalOptions options, ProgressListener progress) {
        this.model = model;
        this.options = options;
        this.progress = progress;
        this.replay = new StreamReplay(model);
        this.streams = new EvalStreams(options.seed(), model.spec().input().width(), model.spec().input().height());
    }

    /**
     * Also records accuracy along the streams for pictures, over a sliding window of {@code window} frames, and the
     * masks of {@code samples} frames per stream: at the first batch size and the main mode, every stream but the
     * single-domain ones other than clean and the cyclic stream's second condition (the oracle is traced too).
     * Read them with {@link #traces()} after {@link #run()}.
     */
    public Evaluation recordTraces(int window, int samples) {
        List<Condition> pictured = List.of(Condition.CLEAN, options.cyclicB());
        traces = new TraceRecorder(model.spec(), window, samples, options.batches().get(0), options.mode(),
                s -> !s.name().equals(StreamKind.SINGLE.id()) || pictured.contains(s.blocks().get(0).condition()));
        replay.observe(traces);
        return this;
    }

    /** The streams traced for pictures; empty unless {@link #recordTraces} was called before {@link #run()}. */
    public List<StreamTrace> traces() {
        return traces == null ? List.of() : traces.traces();
    }

    /** Runs every cell and returns them all. */
    public EvalResults run() throws OrtException {
        start = System.nanoTime();
        total = plannedCells();
        if (options.streams().contains(StreamKind.SINGLE)) {
            runSingle();
        }
        if (options.streams().contains(StreamKind.CONTINUAL)) {
            runWhole(streams.continual(options.continualOrder(), options.frames()));
        }
        if (options.streams().contains(StreamKind.CYCLIC)) {
            runWhole(streams.cyclic(options.cyclicA(), options.cyclicB(), options.frames(), options.cycles(),
                    options.probeFrames(), options.probeEvery()));
        }
        var spec = model.spec();
        return new EvalResults(options, spec.name(), spec.task(), AccuracyMeter.forSpec(spec).metric(),
                model.adaptive().layerCount(), spec.input().width(), spec.input().height(), cells, elapsed());
    }

    private void runSingle() throws OrtException {
        List<Scene> scenes = streams.singleDomainScenes(options.frames());
        for (Condition c : options.singleConditions()) {
            EvalStream stream = streams.singleDomain(scenes, c);
            for (int batch : options.batches()) {
                for (String policy : options.policies()) {
                    runCell(stream, policy, batch, options.mode());
                }
            }
            runOracle(stream);
            if (compared(c)) {
                for (String policy : options.modePolicies()) {
                    for (AdaptationMode mode : AdaptationMode.values()) {
                        if (!(mode == options.mode() && options.batches().contains(1) && options.policies().contains(policy))) {
                            runCell(stream, policy, 1, mode);
                        }
                    }
                }
            }
        }
    }

    private void runWhole(EvalStream stream) throws OrtException {
        for (int batch : options.batches()) {
            for (String policy : options.policies()) {
                runCell(stream, policy, batch, options.mode());
            }
        }
    }

    private void runCell(EvalStream stream, String policy, int batch, AdaptationMode mode) throws OrtException {
        CellResult cell = replay.run(stream, policy, Policies.fromSpec(policy), batch, mode);
        cells.add(cell);
        framesDone += weight(stream.frameCount(), mode, stream.probes());
        progress.cellDone(cell, cells.size(), total, elapsed(), framesDone, framesTotal);
    }

    /**
     * The offline AdaBN reference of a single-domain stream; its predictions do not depend on the batch size, so the
     * one result stands in every batch size's table.
     */
    private void runOracle(EvalStream stream) throws OrtException {
        CellResult oracle = replay.oracle(stream);
        long passes = (replay.oraclePasses() + 1L) * stream.frameCount();
        for (int batch : options.batches()) {
            CellResult cell = new CellResult(oracle.stream(), oracle.policy(), batch, options.mode(), oracle.accuracy(),
                    oracle.probeCurrent(), oracle.probeOther(), oracle.msPerFrame(), oracle.frames(), 0, 0);
            cells.add(cell);
            framesDone += passes / options.batches().size();
            progress.cellDone(cell, cells.size(), total, elapsed(), framesDone, framesTotal);
        }
    }

    /** Whether a single-domain condition is in the fused vs two-pass comparison: clean and the hardest severity. */
    static boolean compared(Condition c) {
        return c.isClean() || c.severity() == EvalOptions.HARD;
    }

    /** Counts the cells to run and the frame passes they take (for progress and the time estimate). */
    private int plannedCells() {
        int n = 0;
        framesTotal = 0;
        int perStream = options.batches().size() * options.policies().size();
        long single = weight(options.frames(), options.mode(), null);
        if (options.streams().contains(StreamKind.SINGLE)) {
            for (Condition c : options.singleConditions()) {
                n += perStream + options.batches().size();
                framesTotal += perStream * single + (replay.oraclePasses() + 1L) * options.frames();
                if (compared(c)) {
                    for (String policy : options.modePolicies()) {
                        boolean reused = options.batches().contains(1) && options.policies().contains(policy);
                        n += reused ? 1 : 2;
                        framesTotal += weight(options.frames(), options.otherMode(), null)
                                + (reused ? 0 : single);
                    }
                }
            }
        }
        if (options.streams().contains(StreamKind.CONTINUAL)) {
            n += perStream;
            framesTotal += perStream * weight(options.frames() * options.continualOrder().size(), options.mode(), null);
        }
        if (options.streams().contains(StreamKind.CYCLIC)) {
            n += perStream;
            int frames = 2 * options.cycles() * options.frames();
            framesTotal += perStream * (weight(frames, options.mode(), null)
                    + probePasses(frames, options.probeEvery(), options.probeFrames()));
        }
        return n;
    }

    /** Model passes of a replay: two per frame in two-pass mode, plus about two probe sets per probe interval. */
    private static long weight(int frames, AdaptationMode mode, EvalStream.Probes probes) {
        long passes = (long) frames * (mode == AdaptationMode.TWO_PASS ? 2 : 1);
        if (probes != null) {
            passes += probePasses(frames, probes.every(), probes.sets().values().iterator().next().size());
        }
        return passes;
    }

    private static long probePasses(int frames, int every, int probeFrames) {
        return (long) frames / every * 2L * probeFrames;
    }

    private double elapsed() {
        return (System.nanoTime() - start) / 1e9;
    }
}
