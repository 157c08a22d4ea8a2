package io.adastream.adapt.inference;

import ai.onnxruntime.OrtException;
import io.adastream.adapt.session.AdaptiveSession;
import io.adastream.adapt.session.Workspace;
import io.adastream.adapt.stats.DomainAdapter;
import io.adastream.adapt.stats.DomainState;
import io.adastream.adapt.stats.FrameMoments;
import io.adastream.adapt.stats.FrameOutcome;

import java.util.HashMap;
import java.util.Map;

/**
 * Runs batches of frames, each from its own domain, through an {@link AdaptiveSession} and folds each frame's
 * moments into its domain's state. One runner per thread (it owns workspaces and the adapter's per-frame
 * results); the session may be shared.
 */
public final class AdaptiveRunner implements AutoCloseable {

    private final AdaptiveSession session;
    private final DomainAdapter adapter;
    private final AdaptationMode mode;
    private final PassRunner pass;
    private final int layers;
    private final Map<Integer, Workspace> workspaces = new HashMap<>();
    private final float[] blend;
    private FrameMoments[] moments = new FrameMoments[0];
    private double[] scores = new double[0];
    private long lastAdaptNanos;

    public AdaptiveRunner(AdaptiveSession session, DomainAdapter adapter, AdaptationMode mode) {
        this(session, adapter, mode, PassRunner.DIRECT);
    }

    /** A runner whose passes go through {@code pass} (e.g. a {@link BatchingExecutor} caller) instead of running directly. */
    public AdaptiveRunner(AdaptiveSession session, DomainAdapter adapter, AdaptationMode mode, PassRunner pass) {
        if (session.model().layerCount() != adapter.source().layers()) {
            throw new IllegalArgumentException("the adapter's source statistics have " + adapter.source().layers()
                    + " layers, the model " + session.model().layerCount());
        }
        this.session = session;
        this.adapter = adapter;
        this.mode = mode;
        this.pass = pass;
        this.layers = session.model().layerCount();
        this.blend = new float[layers];
    }

    public AdaptationMode mode() {
        return mode;
    }

    public DomainAdapter adapter() {
        return adapter;
    }

    /** The workspace for batches of {@code size} frames: write the frames' inputs into it, then call {@link #run}. */
    public Workspace workspace(int size) throws OrtException {
        Workspace ws = workspaces.get(size);
        if (ws == null) {
            ws = session.newWorkspace(size);
            workspaces.put(size, ws);
        }
        return ws;
    }

    /** How this runner's passes run (directly, or through a batching executor). */
    public PassRunner pass() {
        return pass;
    }

    /**
     * Looks at frame i's outputs in the workspace before its moments are folded (fused mode), so that a frame whose
     * prediction is unusable never changes its domain's statistics.
     */
    @FunctionalInterface
    public interface FrameCheck {

        /** True to fold frame {@code frame}; false rejects it ({@link FrameOutcome#REJECTED_OUTPUT}), its state untouched. */
        boolean accept(int frame);
    }

    /** {@link #run(Workspace, DomainState[], FrameOutcome[], FrameCheck)} with every frame's outputs accepted. */
    public void run(Workspace ws, DomainState[] states, FrameOutcome[] outcomes) throws OrtException {
        run(ws, states, outcomes, null);
    }

    /**
     * Predicts and adapts: frame i of the workspace belongs to {@code states[i]}. Outcomes (and each frame's shift
     * score, see {@link #score}) are written per frame; outputs are read from the workspace afterwards. Frames of
     * the same domain in one batch are all normalized with the statistics from before the batch (fused: blended
     * with their own moments by the weight the domain's next fold would use) and folded in frame order; in
     * two-pass mode frame i is then predicted with its domain's statistics after the folds of frames 0 to i.
     * In fused mode {@code check} (null for none) is asked about each frame with finite moments before its fold; in
     * two-pass mode the outputs come after the folds, so {@code check} is not called and the caller validates them.
     */
    public void run(Workspace ws, DomainState[] states, FrameOutcome[] outcomes, FrameCheck check) throws OrtException {
        int n = ws.batchSize();
        if (states.length < n || outcomes.length < n) {
            throw new IllegalArgumentException("need " + n + " states and outcomes, got " + states.length + " and " + outcomes.length);
        }
        ensureMoments(n);
        boolean twoPass = mode == AdaptationMode.TWO_PASS;
        for (int i = 0; i < n; i++) {
            feed(ws, i, states[i], !twoPass);
        }
        pass.run(ws);
        long foldStart = System.nanoTime();
        for (int i = 0; i < n; i++) {
            for (int l = 0; l < layers; l++) {
                ws.copyMoments(i, l, moments[i].mean(l), moments[i].var(l));
            }
            if (!twoPass && check != null && moments[i].isValid() && !check.accept(i)) {
                outcomes[i] = FrameOutcome.REJECTED_OUTPUT;
                scores[i] = Double.NaN;
                continue;
            }
            outcomes[i] = adapter.onFrame(states[i], moments[i]);
            scores[i] = adapter.lastScore();
            if (twoPass) {
                feed(ws, i, states[i], false); // the prediction pass: this frame's domain after its own fold
            }
        }
        lastAdaptNanos = System.nanoTime() - foldStart;
        if (twoPass) {
            pass.run(ws);
        }
    }

    /** How long the last {@link #run} spent folding the batch's moments into the domains' statistics (ns). */
    public long lastAdaptNanos() {
        return lastAdaptNanos;
    }

    /** The shift score of frame i in the last {@link #run} (NaN for rejected frames). */
    public double score(int frame) {
        return scores[frame];
    }

    /** The moments of frame i in the last {@link #run}, as returned by the first pass. */
    public FrameMoments moments(int frame) {
        return moments[frame];
    }

    private void feed(Workspace ws, int frame, DomainState s, boolean withBlend) {
        for (int l = 0; l < layers; l++) {
            ws.setStatistics(frame, l, s.fedMean(l), s.fedVar(l));
        }
        if (withBlend) {
            adapter.blendWeights(s, blend);
        } else {
            java.util.Arrays.fill(blend, 0f);
        }
        ws.setBlend(frame, blend);
    }

    private void ensureMoments(int n) {
        if (moments.length < n) {
            FrameMoments[] grown = java.util.Arrays.copyOf(moments, n);
            for (int i = moments.length; i < n; i++) {
                grown[i] = new FrameMoments(adapter.source());
            }
            moments = grown;
            scores = new double[n];
        }
    }

    @Override
    public void close() {
        workspaces.values().forEach(Workspace::close);
        workspaces.clear();
    }
}
