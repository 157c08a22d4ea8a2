package io.adastream.models.eval;

import ai.onnxruntime.OrtException;
import io.adastream.adapt.inference.AdaptationMode;
import io.adastream.adapt.stats.policy.Policies;
import io.adastream.models.util.SplitMix64;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Replays the domains of labelled folders: every domain under every condition in every order as a single-domain
 * stream from fresh source statistics (every policy and batch size in the main mode, the mode policies also in the
 * other mode in the first order, and the offline oracle, whose result does not depend on order or batch size), then the continual
 * sequence of domains without reset. Each finished cell goes to a {@link ProgressListener}.
 */
public final class LabelledEvaluation {

    private final EvalModel model;
    private final LabelledPlan plan;
    private final ProgressListener progress;
    private final StreamReplay replay;
    private final List<CellResult> cells = new ArrayList<>();
    private TraceRecorder traces;
    private long start;
    private int total;
    private long framesTotal;
    private long framesDone;

    public LabelledEvaluation(EvalModel model, LabelledPlan plan, ProgressListener progress) {
        this.model = model;
        this.plan = plan;
        this.progress = progress;
        this.replay = new StreamReplay(model, plan.window(), plan.keep(), plan.oracleFrames(),
                plan.batches().stream().mapToInt(Integer::intValue).max().orElse(1));
    }

    /**
     * Records, while {@link #run()} runs, what the report's pictures need ({@link TraceRecorder}): the accuracy along
     * every stream (each domain under each condition in each order, and the continual one) over a sliding window of
     * {@code window} frames for every policy at the first batch size in the main mode and for the oracle, and for a
     * segmenter the masks of {@code samples} frames per stream. Read them with {@link #traces()} after the run.
     */
    public LabelledEvaluation recordTraces(int window, int samples) {
        traces = new TraceRecorder(model.spec(), window, samples, plan.batches().get(0), plan.mode(), s -> true);
        replay.observe(traces);
        return this;
    }

    /** The streams traced for pictures; empty unless {@link #recordTraces} was called before {@link #run()}. */
    public List<StreamTrace> traces() {
        return traces == null ? List.of() : traces.traces();
    }

    /** Runs every cell. */
    public LabelledResults run() throws OrtException {
        start = System.nanoTime();
        plan();
        for (LabelledDomain d : plan.domains()) {
            for (Condition c : plan.conditions()) {
                List<EvalFrame> frames = frames(d, c);
                CellResult oracle = null;
                for (FrameOrder o : plan.orders()) {
                    String row = LabelledPlan.row(d.name(), c, o);
                    EvalStream stream = new EvalStream(StreamKind.SINGLE.id(),
                            List.of(new EvalStream.Block(row, c, o.apply(frames))));
                    for (int batch : plan.batches()) {
                        for (String p : plan.policies()) {
                            runCell(stream, p, batch, plan.mode());
                        }
                        if (o == plan.orders().get(0)) {
                            for (String p : plan.modePolicies()) {
                                runCell(stream, p, batch, plan.otherMode());
                            }
                        }
                    }
                    if (oracle == null) {
                        oracle = replay.oracle(stream);
                    }
                    for (int batch : plan.batches()) {
                        CellResult cell = new CellResult(oracle.stream(), oracle.policy(), batch, plan.mode(),
                                java.util.Map.of(row, oracle.accuracy().values().iterator().next()), java.util.Map.of(),
                                java.util.Map.of(), oracle.msPerFrame(), oracle.frames(), 0, 0,
                                java.util.Map.of(row, oracle.series().values().iterator().next()));
                        cells.add(cell);
                        framesDone += o == plan.orders().get(0) ? oracleWeight(frames.size()) / plan.batches().size() : 0;
                        progress.cellDone(cell, cells.size(), total, elapsed(), framesDone, framesTotal);
                    }
                }
            }
        }
        if (!plan.continual().isEmpty()) {
            EvalStream stream = continual();
            for (int batch : plan.batches()) {
                for (String p : plan.policies()) {
                    runCell(stream, p, batch, plan.mode());
                }
            }
        }
        Set<StreamKind> kinds = plan.continual().isEmpty() ? EnumSet.of(StreamKind.SINGLE)
                : EnumSet.of(StreamKind.SINGLE, StreamKind.CONTINUAL);
        int most = plan.domains().stream().mapToInt(d -> d.frames().size()).max().orElse(1);
        EvalOptions options = EvalOptions.defaults().withFrames(most).withBatches(plan.batches()).withStreams(kinds)
                .withMode(plan.mode()).withPolicies(plan.policies()).withModePolicies(plan.modePolicies())
                .withThreads(plan.threads()).withSeed(plan.seed());
        var spec = model.spec();
        EvalResults results = new EvalResults(options, spec.name(), spec.task(), AccuracyMeter.forSpec(spec).metric(),
                model.adaptive().layerCount(), spec.input().width(), spec.input().height(), cells, elapsed());
        return new LabelledResults(results, plan, spec.classes());
    }

    /** A domain's frames under a condition, each frame's noise seeded by the plan's seed, the domain and its position. */
    List<EvalFrame> frames(LabelledDomain d, Condition c) {
        if (c.isClean()) {
            return d.frames();
        }
        long seed = SplitMix64.derive(plan.seed(), d.name().hashCode()).nextLong();
        List<EvalFrame> out = new ArrayList<>(d.frames().size());
        for (int i = 0; i < d.frames().size(); i++) {
            out.add(FrameCorruption.apply(d.frames().get(i), c, SplitMix64.derive(seed, i).nextLong()));
        }
        return out;
    }

    private EvalStream continual() {
        List<EvalStream.Block> blocks = new ArrayList<>();
        List<String> rows = plan.continualRows();
        for (int i = 0; i < plan.continual().size(); i++) {
            blocks.add(new EvalStream.Block(rows.get(i), Condition.CLEAN, plan.domain(plan.continual().get(i)).frames()));
        }
        return new EvalStream(StreamKind.CONTINUAL.id(), blocks);
    }

    private void runCell(EvalStream stream, String policy, int batch, AdaptationMode mode) throws OrtException {
        CellResult cell = replay.run(stream, policy, Policies.fromSpec(policy), batch, mode);
        cells.add(cell);
        framesDone += weight(stream.frameCount(), mode);
        progress.cellDone(cell, cells.size(), total, elapsed(), framesDone, framesTotal);
    }

    private void plan() {
        int perOrder = plan.batches().size() * (plan.policies().size() + 1);
        int firstOrder = plan.batches().size() * plan.modePolicies().size();
        long perFrame = (long) plan.batches().size() * plan.policies().size();
        long firstPerFrame = 2L * plan.batches().size() * plan.modePolicies().size();
        total = 0;
        framesTotal = 0;
        for (LabelledDomain d : plan.domains()) {
            int n = d.frames().size();
            total += plan.conditions().size() * (plan.orders().size() * perOrder + firstOrder);
            framesTotal += plan.conditions().size() * ((plan.orders().size() * perFrame + firstPerFrame) * n + oracleWeight(n));
        }
        int continualFrames = plan.continual().stream().mapToInt(d -> plan.domain(d).frames().size()).sum();
        total += plan.continual().isEmpty() ? 0 : plan.batches().size() * plan.policies().size();
        framesTotal += (long) plan.batches().size() * plan.policies().size() * continualFrames;
    }

    private long oracleWeight(int frames) {
        return (long) replay.oraclePasses() * replay.estimationCount(frames) + frames;
    }

    private static long weight(int frames, AdaptationMode mode) {
        return (long) frames * (mode == AdaptationMode.TWO_PASS ? 2 : 1);
    }

    private double elapsed() {
        return (System.nanoTime() - start) / 1e9;
    }
}
