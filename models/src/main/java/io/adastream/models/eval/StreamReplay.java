package io.adastream.models.eval;

import ai.onnxruntime.OrtException;
import io.adastream.adapt.inference.AdaptationMode;
import io.adastream.adapt.inference.AdaptiveRunner;
import io.adastream.adapt.session.Workspace;
import io.adastream.adapt.stats.DomainState;
import io.adastream.adapt.onnx.BatchNormLayer;
import io.adastream.adapt.stats.FrameMoments;
import io.adastream.adapt.stats.FrameOutcome;
import io.adastream.adapt.stats.PooledMoments;
import io.adastream.adapt.stats.policy.AdaptationPolicy;
import io.adastream.models.spec.ModelSpec;
import io.adastream.models.task.LetterboxTransform;
import io.adastream.models.task.TaskAdapter;
import io.adastream.models.task.WorkspaceOutputs;
import io.adastream.models.task.TaskResult;
import io.adastream.models.task.TensorNormalizer;

import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Replays an {@link EvalStream} as one domain through an {@link AdaptiveRunner}, as the service would: frames in
 * stream order, {@code batch} consecutive frames per ONNX Runtime run, every prediction scored online against its
 * frame's ground truth. The timed part is input packing, the adaptive run(s) and decoding; scoring is not timed.
 */
public final class StreamReplay {

    /** The name of the offline AdaBN reference of {@link #oracle}, shown as a column of the single-domain tables. */
    public static final String ORACLE = "oracle";
    /** The oracle's iteration stops early once no statistic moves by more than this, relative to its value. */
    static final double ORACLE_TOLERANCE = 1e-4;

    private final EvalModel model;
    private final ModelSpec spec;
    private final TaskAdapter task;
    private final TensorNormalizer normalizer;
    private final LetterboxTransform identity;
    private final int width;
    private final int height;
    private final int slot;
    private ReplayObserver observer = ReplayObserver.NONE;
    private final int window;
    private final java.util.Set<Integer> keep;
    private final int oracleFrames;
    private final int chunk;

    /** Frames of the rolling accuracy window of {@link RowSeries} by default. */
    public static final int DEFAULT_WINDOW = 20;

    public StreamReplay(EvalModel model) {
        this(model, DEFAULT_WINDOW, java.util.Set.of());
    }

    /**
     * @param window frames of the rolling accuracy of each row's {@link RowSeries}
     * @param keep   positions within a row whose predictions are kept in its {@link RowSeries}
     */
    public StreamReplay(EvalModel model, int window, java.util.Set<Integer> keep) {
        this(model, window, keep, 0, PROBE_BATCH);
    }

    /**
     * As {@link #StreamReplay(EvalModel, int, java.util.Set)}, the oracle estimating its statistics from
     * {@code oracleFrames} evenly spaced frames of a stream (0: all; its cost is one pass per BatchNorm layer over
     * them) and running at most {@code oracleBatch} frames at a time (1 for a model whose input takes one frame).
     */
    public StreamReplay(EvalModel model, int window, java.util.Set<Integer> keep, int oracleFrames, int oracleBatch) {
        if (oracleFrames < 0 || oracleBatch < 1) {
            throw new IllegalArgumentException("oracle frames must not be negative, its batch positive: "
                    + oracleFrames + ", " + oracleBatch);
        }
        this.oracleFrames = oracleFrames;
        this.chunk = Math.min(PROBE_BATCH, oracleBatch);
        if (window < 1) {
            throw new IllegalArgumentException("window must be at least 1 frame: " + window);
        }
        this.window = window;
        this.keep = java.util.Set.copyOf(keep);
        this.model = model;
        this.spec = model.spec();
        this.task = TaskAdapter.forSpec(spec);
        this.normalizer = TensorNormalizer.forInput(spec.input());
        this.width = spec.input().width();
        this.height = spec.input().height();
        this.identity = LetterboxTransform.stretch(width, height, width, height);
        this.slot = 3 * width * height;
    }

    /** From now on tells {@code observer} about every scored frame of every replay (not the probes). */
    public void observe(ReplayObserver observer) {
        this.observer = observer;
    }

    /** Replays the stream with a fresh domain at the source statistics under {@code policy}. */
    public CellResult run(EvalStream stream, String policyName, AdaptationPolicy policy, int batch, AdaptationMode mode)
            throws OrtException {
        if (batch < 1) {
            throw new IllegalArgumentException("batch size must be positive: " + batch);
        }
        Map<String, RowTracker> meters = trackers(stream);
        Map<String, AccuracyMeter> probeCurrent = new LinkedHashMap<>();
        Map<String, AccuracyMeter> probeOther = new LinkedHashMap<>();
        observer.begin(stream, policyName, batch, mode);
        try (AdaptiveRunner runner = model.newRunner(mode)) {
            DomainState state = runner.adapter().newDomain(policy);
            DomainState[] states = new DomainState[batch];
            java.util.Arrays.fill(states, state);
            FrameOutcome[] outcomes = new FrameOutcome[batch];
            EvalFrame[] pending = new EvalFrame[batch];
            RowTracker[] pendingMeters = new RowTracker[batch];
            Counters counters = new Counters();
            java.util.Set<String> seen = new java.util.HashSet<>();
            int filled = 0;
            long done = 0;
            for (EvalStream.Block block : stream.blocks()) {
                RowTracker meter = meters.get(block.row());
                seen.add(block.condition().label());
                for (EvalFrame frame : block.frames()) {
                    pending[filled] = frame;
                    pendingMeters[filled] = meter;
                    if (++filled == batch) {
                        runChunk(runner, states, outcomes, pending, pendingMeters, filled, counters, done);
                        done += filled;
                        filled = 0;
                        if (stream.probes() != null && done % stream.probes().every() < batch) {
                            probe(runner, state, stream.probes(), block.condition().label(), seen, probeCurrent, probeOther);
                        }
                    }
                }
            }
            if (filled > 0) {
                runChunk(runner, states, outcomes, pending, pendingMeters, filled, counters, done);
                done += filled;
            }
            observer.end();
            return new CellResult(stream.name(), policyName, batch, mode, rowValues(meters), values(probeCurrent),
                    values(probeOther), done == 0 ? Double.NaN : counters.nanos / 1e6 / done, done, counters.rejected,
                    counters.shifts, series(meters));
        }
    }

    private void runChunk(AdaptiveRunner runner, DomainState[] states, FrameOutcome[] outcomes, EvalFrame[] frames,
                          RowTracker[] meters, int n, Counters counters, long first) throws OrtException {
        long t0 = System.nanoTime();
        Workspace ws = runner.workspace(n);
        FloatBuffer input = ws.input(spec.input().name());
        for (int i = 0; i < n; i++) {
            pack(frames[i], input, i);
        }
        runner.run(ws, states, outcomes);
        WorkspaceOutputs out = new WorkspaceOutputs(ws);
        TaskResult[] results = new TaskResult[n];
        for (int i = 0; i < n; i++) {
            results[i] = task.decode(out, i, identity);
        }
        counters.nanos += System.nanoTime() - t0;
        for (int i = 0; i < n; i++) {
            meters[i].add(frames[i], results[i]);
            observer.scored((int) first + i, frames[i], results[i]);
            if (outcomes[i] == FrameOutcome.REJECTED_NON_FINITE) {
                counters.rejected++;
            } else if (outcomes[i] == FrameOutcome.SHIFT_CONFIRMED) {
                counters.shifts++;
            }
        }
    }

    /** Predicts every probe set with the state's current statistics, blend 0, without folding anything. */
    private void probe(AdaptiveRunner runner, DomainState state, EvalStream.Probes probes, String current,
                       java.util.Set<String> seen, Map<String, AccuracyMeter> probeCurrent,
                       Map<String, AccuracyMeter> probeOther) throws OrtException {
        if (!seen.containsAll(probes.sets().keySet())) {
            return;
        }
        float[] zeros = new float[state.layers()];
        for (Map.Entry<String, List<EvalFrame>> set : probes.sets().entrySet()) {
            boolean isCurrent = set.getKey().equals(current);
            AccuracyMeter meter = (isCurrent ? probeCurrent : probeOther)
                    .computeIfAbsent(set.getKey(), k -> AccuracyMeter.forSpec(spec));
            List<EvalFrame> frames = set.getValue();
            for (int start = 0; start < frames.size(); start += PROBE_BATCH) {
                int n = Math.min(PROBE_BATCH, frames.size() - start);
                Workspace ws = runner.workspace(n);
                FloatBuffer input = ws.input(spec.input().name());
                for (int i = 0; i < n; i++) {
                    pack(frames.get(start + i), input, i);
                    for (int l = 0; l < state.layers(); l++) {
                        ws.setStatistics(i, l, state.fedMean(l), state.fedVar(l));
                    }
                    ws.setBlend(i, zeros);
                }
                ws.run();
                WorkspaceOutputs out = new WorkspaceOutputs(ws);
                for (int i = 0; i < n; i++) {
                    meter.add(frames.get(start + i), task.decode(out, i, identity));
                }
            }
        }
    }

    private static final int PROBE_BATCH = 8;

    /**
     * The offline AdaBN reference: the stream's own population statistics, estimated from all of its frames before
     * the first is predicted (regime B of docs/algorithms.md §1.4 at its fixed point, see {@link #oracleStatistics}),
     * then every frame predicted with them at blend 0. Label-free but not online (it sees the whole stream in
     * advance): an upper reference for what re-estimating BatchNorm statistics can give on the stream, not a policy.
     */
    public CellResult oracle(EvalStream stream) throws OrtException {
        List<EvalFrame> frames = new java.util.ArrayList<>();
        List<String> rowOf = new java.util.ArrayList<>();
        for (EvalStream.Block b : stream.blocks()) {
            frames.addAll(b.frames());
            b.frames().forEach(f -> rowOf.add(b.row()));
        }
        try (AdaptiveRunner runner = model.newRunner(AdaptationMode.FUSED)) {
            float[][][] statistics = oracleStatistics(runner, estimationFrames(frames));
            float[][] mean = statistics[0];
            float[][] var = statistics[1];
            Map<String, RowTracker> meters = trackers(stream);
            long nanos = 0;
            observer.begin(stream, ORACLE, 1, AdaptationMode.FUSED);
            for (int start = 0; start < frames.size(); start += chunk) {
                int size = Math.min(chunk, frames.size() - start);
                long t0 = System.nanoTime();
                Workspace ws = fixedStatistics(runner, frames, start, size, mean, var);
                ws.run();
                WorkspaceOutputs out = new WorkspaceOutputs(ws);
                TaskResult[] results = new TaskResult[size];
                for (int i = 0; i < size; i++) {
                    results[i] = task.decode(out, i, identity);
                }
                nanos += System.nanoTime() - t0;
                for (int i = 0; i < size; i++) {
                    meters.get(rowOf.get(start + i)).add(frames.get(start + i), results[i]);
                    observer.scored(start + i, frames.get(start + i), results[i]);
                }
            }
            observer.end();
            return new CellResult(stream.name(), ORACLE, 1, AdaptationMode.FUSED, rowValues(meters), Map.of(), Map.of(),
                    frames.isEmpty() ? Double.NaN : nanos / 1e6 / frames.size(), frames.size(), 0, 0, series(meters));
        }
    }

    /** The most passes the oracle's estimation makes: one per BatchNorm layer. */
    int oraclePasses() {
        return model.adaptive().layerCount();
    }

    /** The frames the oracle estimates its statistics from: all, or {@code oracleFrames} evenly spaced ones. */
    List<EvalFrame> estimationFrames(List<EvalFrame> frames) {
        if (oracleFrames == 0 || oracleFrames >= frames.size()) {
            return frames;
        }
        List<EvalFrame> out = new java.util.ArrayList<>(oracleFrames);
        for (int i = 0; i < oracleFrames; i++) {
            out.add(frames.get((int) ((long) i * frames.size() / oracleFrames)));
        }
        return out;
    }

    /** The frames the oracle estimates statistics from out of {@code frames} (for progress estimates). */
    int estimationCount(int frames) {
        return oracleFrames == 0 ? frames : Math.min(frames, oracleFrames);
    }

    /** The largest |b − a| / max(|a|, 1e-6) over every mean and variance. */
    static double largestRelativeChange(float[][][] a, float[][][] b) {
        double worst = 0;
        for (int k = 0; k < 2; k++) {
            for (int l = 0; l < a[k].length; l++) {
                for (int c = 0; c < a[k][l].length; c++) {
                    worst = Math.max(worst, Math.abs(b[k][l][c] - a[k][l][c]) / Math.max(Math.abs(a[k][l][c]), 1e-6));
                }
            }
        }
        return worst;
    }

    /** The model's source statistics as {mean[layer][channel], var[layer][channel]}. */
    float[][][] sourceStatistics() {
        List<BatchNormLayer> layers = model.adaptive().layers();
        float[][][] out = new float[2][layers.size()][];
        for (int l = 0; l < layers.size(); l++) {
            out[0][l] = layers.get(l).sourceMean().clone();
            out[1][l] = layers.get(l).sourceVar().clone();
        }
        return out;
    }

    /**
     * The oracle's statistics of {@code frames}, {mean[layer][channel], var[layer][channel]}, settled one layer per
     * pass from the source statistics: pass k runs every frame at blend 0 with the statistics settled so far (layers
     * before k) and the source's for the rest, pools the frames' moments exactly ({@link #pooledMoments}) and settles
     * layer k. The layers are in graph order, so every BatchNorm layer upstream of layer k is settled by then and
     * one pass per layer reaches the fixed point exactly. No layer is ever fed statistics that were measured under
     * unsettled ones: on a deep model those overflow float within a few passes (FastestDet's 67 layers on 16 COCO
     * frames), and a layer fed a far-off mean measures its moments around it and loses their precision. Stops
     * sooner when a pass measures, for every layer, the statistics it was fed ({@link #ORACLE_TOLERANCE}).
     */
    float[][][] oracleStatistics(AdaptiveRunner runner, List<EvalFrame> frames) throws OrtException {
        float[][][] statistics = sourceStatistics();
        for (int layer = 0; layer < oraclePasses(); layer++) {
            OraclePass pass = pooledMoments(runner, frames, statistics);
            if (pass.unmeasured() == 0 && largestRelativeChange(statistics, pass.statistics()) < ORACLE_TOLERANCE) {
                return pass.statistics();
            }
            statistics[0][layer] = pass.statistics()[0][layer];
            statistics[1][layer] = pass.statistics()[1][layer];
        }
        return statistics;
    }

    /**
     * One pass of the oracle's iteration: the statistics it measured and how many layers no frame gave valid moments
     * for (those restart from the source).
     */
    record OraclePass(float[][][] statistics, int unmeasured) {
    }

    /**
     * One step of the oracle's iteration: every frame run with {@code statistics} at blend 0, their moments pooled
     * exactly (population mean and variance over all frames and positions) layer by layer; {mean, var} per layer and
     * channel. A frame's moments of a layer that are not finite (an overflow downstream of layers not yet at their
     * fixed point) are left out of that layer only, so the layers upstream keep every frame; a layer no frame
     * measured, or whose pooled statistics are not finite, restarts from its source statistics.
     */
    OraclePass pooledMoments(AdaptiveRunner runner, List<EvalFrame> frames, float[][][] statistics) throws OrtException {
        int n = statistics[0].length;
        FrameMoments[] moments = new FrameMoments[n];
        PooledMoments[] pooled = new PooledMoments[n];
        for (int l = 0; l < n; l++) {
            int[] channels = {statistics[0][l].length};
            moments[l] = new FrameMoments(channels);
            pooled[l] = new PooledMoments(channels);
        }
        for (int start = 0; start < frames.size(); start += chunk) {
            int size = Math.min(chunk, frames.size() - start);
            Workspace ws = fixedStatistics(runner, frames, start, size, statistics[0], statistics[1]);
            ws.run();
            for (int i = 0; i < size; i++) {
                for (int l = 0; l < n; l++) {
                    ws.copyMoments(i, l, moments[l].mean(0), moments[l].var(0));
                    if (moments[l].isValid()) {
                        pooled[l].add(moments[l]);
                    }
                }
            }
        }
        float[][][] source = sourceStatistics();
        float[][][] out = new float[2][n][];
        int unmeasured = 0;
        for (int l = 0; l < n; l++) {
            int channels = statistics[0][l].length;
            out[0][l] = new float[channels];
            out[1][l] = new float[channels];
            boolean measured = !pooled[l].isEmpty();
            unmeasured += measured ? 0 : 1;
            for (int c = 0; c < channels; c++) {
                float m = measured ? (float) pooled[l].mean(0)[c] : Float.NaN;
                // a constant channel's pooled variance can round below 0
                float v = measured ? (float) Math.max(pooled[l].var(0)[c], 0.0) : Float.NaN;
                boolean finite = Float.isFinite(m) && Float.isFinite(v);
                out[0][l][c] = finite ? m : source[0][l][c];
                out[1][l][c] = finite ? v : source[1][l][c];
            }
        }
        return new OraclePass(out, unmeasured);
    }

    /** A workspace holding frames [start, start + size) with the given statistics for every frame, blend 0. */
    private Workspace fixedStatistics(AdaptiveRunner runner, List<EvalFrame> frames, int start, int size,
                                      float[][] mean, float[][] var) throws OrtException {
        Workspace ws = runner.workspace(size);
        FloatBuffer input = ws.input(spec.input().name());
        float[] zeros = new float[mean.length];
        for (int i = 0; i < size; i++) {
            pack(frames.get(start + i), input, i);
            for (int l = 0; l < mean.length; l++) {
                ws.setStatistics(i, l, mean[l], var[l]);
            }
            ws.setBlend(i, zeros);
        }
        return ws;
    }

    private void pack(EvalFrame frame, FloatBuffer input, int index) {
        if (frame.width() != width || frame.height() != height) {
            throw new IllegalArgumentException("frame is " + frame.width() + "x" + frame.height() + ", the model takes "
                    + width + "x" + height);
        }
        normalizer.packedRgbToNchw(frame.packedRgb(), width, height, input, index * slot);
    }

    private Map<String, RowTracker> trackers(EvalStream stream) {
        Map<String, RowTracker> trackers = new LinkedHashMap<>();
        for (String row : stream.rows()) {
            trackers.put(row, new RowTracker(spec, window, keep));
        }
        return trackers;
    }

    private static Map<String, Double> rowValues(Map<String, RowTracker> trackers) {
        Map<String, Double> values = new HashMap<>();
        trackers.forEach((row, t) -> values.put(row, t.value()));
        return values;
    }

    private static Map<String, RowSeries> series(Map<String, RowTracker> trackers) {
        Map<String, RowSeries> series = new HashMap<>();
        trackers.forEach((row, t) -> series.put(row, t.series()));
        return series;
    }

    private static Map<String, Double> values(Map<String, AccuracyMeter> meters) {
        Map<String, Double> values = new HashMap<>();
        meters.forEach((row, m) -> values.put(row, m.value()));
        return values;
    }

    /** Per-replay tallies. */
    private static final class Counters {
        long nanos;
        long rejected;
        long shifts;
    }
}
