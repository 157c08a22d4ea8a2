package io.adastream.adapt.stats;

import io.adastream.adapt.stats.policy.AdaptationPolicy;
import io.adastream.adapt.stats.policy.SegmentSettings;
import io.adastream.adapt.stats.shift.DetectorSettings;
import io.adastream.adapt.stats.shift.ShiftDetector;
import io.adastream.adapt.stats.shift.ShiftScore;
import io.adastream.adapt.stats.shift.Verdict;

import java.util.Arrays;

/**
 * Runs the per-frame procedure of docs/algorithms.md §11.8 on a domain's state: validate the frame's moments, score them
 * against the pre-update statistics, let the shift detector decide, and fold, hold, start a new segment or skip;
 * then the agreement guard (§11.11) shrinks the fed statistics towards the source.
 * Also the control commands (reset, freeze, unfreeze, set-policy) and the blend weights to feed the graph.
 * Holds scratch arrays and the last frame's score: use one instance per thread. Nothing here allocates per frame.
 */
public final class DomainAdapter {

    private final SourceStatistics source;
    private final ShiftScore scorer;
    private final ShiftDetector detector;
    private final double[][] sourceMean;
    private final double[][] sourceVar;
    private double lastScore = Double.NaN;
    private double lastWeight;
    private PriorChoice lastPrior = PriorChoice.NONE;

    /** An adapter for the model's source statistics with the given detector settings. */
    public DomainAdapter(SourceStatistics source, DetectorSettings detectorSettings) {
        this.source = source;
        this.scorer = new ShiftScore(source);
        this.detector = new ShiftDetector(detectorSettings);
        int layers = source.layers();
        sourceMean = new double[layers][];
        sourceVar = new double[layers][];
        for (int l = 0; l < layers; l++) {
            sourceMean[l] = new double[source.channels(l)];
            sourceVar[l] = new double[source.channels(l)];
            source.copyMean(l, sourceMean[l]);
            source.copyVar(l, sourceVar[l]);
        }
    }

    /** An adapter with the default detector. */
    public DomainAdapter(SourceStatistics source) {
        this(source, DetectorSettings.defaults());
    }

    public SourceStatistics source() {
        return source;
    }

    public DetectorSettings detectorSettings() {
        return detector.settings();
    }

    /** A new domain at the source statistics. */
    public DomainState newDomain(AdaptationPolicy policy) {
        return DomainState.fromSource(source, policy);
    }

    /** The shift score of the last frame (NaN if it was rejected). */
    public double lastScore() {
        return lastScore;
    }

    /** The score-to-baseline ratio of the last frame (NaN in warm-up, when frozen or rejected). */
    public double lastRatio() {
        return detector.lastRatio();
    }

    /** The layer-independent fold weight the last frame got (0 when not folded). */
    public double lastWeight() {
        return lastWeight;
    }

    /** The prior the last frame's confirmed shift started from ({@link PriorChoice#NONE} otherwise). */
    public PriorChoice lastPrior() {
        return lastPrior;
    }

    /**
     * Fills the prediction blend weight b of every layer for the domain's next frame: λ·min(w_layer, b_max) for the
     * weight w the next fold would use and the layer's agreement-guard factor λ, and 0 when the domain is frozen or
     * an alarm is holding frames.
     */
    public void blendWeights(DomainState state, float[] perLayer) {
        if (perLayer.length != state.layers()) {
            throw new IllegalArgumentException("expected " + state.layers() + " blend weights, got " + perLayer.length);
        }
        boolean still = state.frozen || state.detector.alarmOpen();
        for (int l = 0; l < perLayer.length; l++) {
            perLayer[l] = still ? 0f : (float) (state.policy.blendWeight(state.schedule, l) * state.guard.scale[l]);
        }
    }

    /** Processes one frame's moments (returned by the graph run with the state's fed statistics). */
    public FrameOutcome onFrame(DomainState state, FrameMoments frame) {
        requireFits(state, frame);
        int span = state.span;
        state.span = 1;
        lastScore = Double.NaN;
        lastWeight = 0;
        lastPrior = PriorChoice.NONE;
        if (!frame.isValid()) {
            return FrameOutcome.REJECTED_NON_FINITE;
        }
        lastScore = scorer.score(frame, state.mean, state.var);
        if (state.frozen) {
            return FrameOutcome.FROZEN;
        }
        Verdict verdict = detector.observe(state.detector, lastScore, span);
        state.version++;
        switch (verdict) {
            case NORMAL -> {
                fold(state, frame, span);
                return FrameOutcome.FOLDED;
            }
            case HOLD -> {
                state.held.add(frame);
                return FrameOutcome.HELD;
            }
            case SPIKE -> {
                state.heldSpikes.add(frame);
                return FrameOutcome.SPIKE_SKIPPED;
            }
            case DISMISSED -> {
                detector.countSpikes(state.detector, state.heldSpikes.count());
                state.heldSpikes.clear();
                foldBlock(state, state.held);
                state.held.clear();
                if (detector.isSpike(detector.lastRatio())) {
                    detector.countSpikes(state.detector, 1);
                } else {
                    fold(state, frame, span);
                }
                return FrameOutcome.DISMISSED;
            }
            case CONFIRMED -> {
                state.held.add(frame);
                state.held.add(state.heldSpikes);
                state.heldSpikes.clear();
                startSegment(state, state.held);
                state.held.clear();
                return FrameOutcome.SHIFT_CONFIRMED;
            }
            default -> throw new IllegalStateException("unknown verdict " + verdict);
        }
    }

    /**
     * Records a frame the two-tier path ran on the domain's baked model: observed (the version grows, as for every
     * frame a domain observes) but without moments, so nothing is scored or folded.
     */
    public void observeBaked(DomainState state) {
        state.version++;
        lastScore = Double.NaN;
        lastWeight = 0;
        lastPrior = PriorChoice.NONE;
    }

    /** {@code reset}: statistics back to source, schedule at its start, detector, held frames and segments cleared. */
    public void reset(DomainState state) {
        state.toSource();
        state.policy.start(state.schedule);
        state.version++;
    }

    /** {@code freeze}: no more folds (w = 0) and b = 0; the domain keeps normalizing with its current statistics. */
    public void freeze(DomainState state) {
        if (!state.frozen) {
            state.frozen = true;
            state.version++;
        }
    }

    /** {@code unfreeze}: adaptation resumes where it stopped. */
    public void unfreeze(DomainState state) {
        if (state.frozen) {
            state.frozen = false;
            state.version++;
        }
    }

    /**
     * {@code set-policy}: switches the domain's policy and keeps its statistics; the new policy re-derives its
     * schedule position ({@link AdaptationPolicy#adopt}). A segment library is kept only if the new policy uses one
     * of the same size.
     */
    public void setPolicy(DomainState state, AdaptationPolicy policy) {
        state.usePolicy(policy);
        policy.adopt(state.schedule);
        refreshFed(state);
        state.version++;
    }

    /**
     * Folds one frame with the policy's next weight (docs/algorithms.md §11.3), after its dispersion about the
     * estimate has entered the agreement guard's running mean and with the guard's noise weight following the fold
     * (§11.11). A frame standing for {@code span} frames (the two-tier path's adaptive frame after span − 1 baked
     * ones) moves the schedule span steps on and folds with their block weight W = 1 − Π(1 − w_i), as if each of
     * those frames had had its moments; its noise is still one frame's (E ← (1 − W)²·E + W²).
     */
    private void fold(DomainState state, FrameMoments frame, int span) {
        AdaptationPolicy policy = state.policy;
        GuardState guard = state.guard;
        for (int l = 0; l < state.mean.length; l++) {
            guard.spread[l] = AgreementGuard.nextDispersion(guard.spread[l], guard.framesSeen,
                    AgreementGuard.dispersion(frame.mean(l), frame.var(l), state.mean[l], state.var[l], source, l));
        }
        guard.framesSeen++;
        moveWindow(guard, frame);
        double w = span == 1 ? policy.advance(state.schedule) : policy.advanceBlock(state.schedule, span);
        lastWeight = w;
        if (w > 0) {
            for (int l = 0; l < state.mean.length; l++) {
                double wl = policy.layerWeight(w, l);
                MomentAlgebra.fold(state.mean[l], state.var[l], frame.mean(l), frame.var(l), wl, policy.varianceMode());
                guard.noiseWeight[l] = AgreementGuard.nextNoiseWeight(guard.noiseWeight[l], wl);
            }
        }
        state.frameCount++;
        if (state.library != null) {
            state.library.live().add(frame);
            state.library.countFrame();
        }
        afterFold(state);
    }

    /** Folds a pooled block of n frames with the block weight W = 1 − Π(1 − w_i) of n schedule steps. */
    private void foldBlock(DomainState state, PooledMoments block) {
        long n = block.count();
        if (n == 0) {
            return;
        }
        AdaptationPolicy policy = state.policy;
        moveWindow(state.guard, block, n);
        double w = policy.advanceBlock(state.schedule, n);
        lastWeight = w;
        if (w > 0) {
            for (int l = 0; l < state.mean.length; l++) {
                double wl = policy.layerWeight(w, l);
                MomentAlgebra.fold(state.mean[l], state.var[l], block.mean(l), block.var(l), wl, policy.varianceMode());
                state.guard.noiseWeight[l] = AgreementGuard.nextNoiseWeight(state.guard.noiseWeight[l], wl, n);
            }
        }
        state.frameCount += n;
        if (state.library != null) {
            state.library.live().add(block);
            for (long i = 0; i < n; i++) {
                state.library.countFrame();
            }
        }
        afterFold(state);
    }

    /** Moves the condition window (docs/algorithms.md §11.12) by one frame's first-layer moments: rate r_n, E_w. */
    private static void moveWindow(GuardState guard, FrameMoments frame) {
        if (guard.windowMean.length == 0) {
            return;
        }
        double rate = AgreementGuard.windowRate(guard.windowFrames);
        AgreementGuard.moveWindow(guard.windowMean, guard.windowVar, frame.mean(0), frame.var(0), rate);
        guard.windowNoise = AgreementGuard.nextNoiseWeight(guard.windowNoise, rate);
        guard.windowFrames++;
    }

    /** Moves the condition window by a pooled block of n frames: rate W = 1 − Π(1 − r_i), noise as n frames'. */
    private static void moveWindow(GuardState guard, PooledMoments block, long n) {
        if (guard.windowMean.length == 0) {
            return;
        }
        double keep = 1.0;
        for (long i = 0; i < n; i++) {
            keep *= 1.0 - AgreementGuard.windowRate(guard.windowFrames + i);
        }
        double rate = 1.0 - keep;
        AgreementGuard.moveWindow(guard.windowMean, guard.windowVar, block.mean(0), block.var(0), rate);
        guard.windowNoise = AgreementGuard.nextNoiseWeight(guard.windowNoise, rate, n);
        guard.windowFrames += n;
    }

    private void afterFold(DomainState state) {
        SegmentLibrary library = state.library;
        if (library == null) {
            state.feedEstimate();
            guard(state);
            return;
        }
        SegmentSettings settings = state.policy.segments();
        if (library.live().count() >= settings.segmentLength()) {
            closeSegment(state);
            mix(state);
            guard(state);
        } else if (library.size() == 0) {
            state.feedEstimate();
            guard(state);
        } else if (library.framesSinceMixture() >= settings.mixtureInterval()) {
            mix(state);
            guard(state);
        }
    }

    /**
     * The agreement guard (docs/algorithms.md §11.11) on freshly computed fed statistics: the condition gate g from
     * the first layer's window (§11.12), then per layer λ = g·λ_l from the noise weight, the dispersion and the fed
     * statistics' distance from the source, and the fed arrays shrunk by it. A guard strength of 0 turns both off.
     */
    private void guard(DomainState state) {
        double strength = state.policy.guardStrength();
        GuardState guard = state.guard;
        guard.gate = strength == 0 ? 1.0 : conditionGate(state);
        for (int l = 0; l < state.mean.length; l++) {
            float[] fm = state.fedMean[l];
            float[] fv = state.fedVar[l];
            double distance = strength == 0 ? 0 : AgreementGuard.distanceFromSource(fm, fv, source, l);
            double lambda = guard.gate * AgreementGuard.scale(strength, guard.noiseWeight[l], guard.spread[l], distance);
            guard.scale[l] = lambda;
            AgreementGuard.shrink(fm, fv, source, l, lambda);
        }
    }

    /** The condition gate g of docs/algorithms.md §11.12 from the first layer's window; 1 when it is off. */
    private double conditionGate(DomainState state) {
        double minShift = state.policy.minShift();
        GuardState guard = state.guard;
        if (minShift == 0 || guard.windowMean.length == 0) {
            return 1.0;
        }
        double windowDistance = AgreementGuard.distanceFromSource(guard.windowMean, guard.windowVar, source, 0);
        return AgreementGuard.gate(minShift,
                AgreementGuard.conditionShift(windowDistance, guard.windowNoise, guard.spread[0]));
    }

    /**
     * Starts a new segment after a confirmed shift (docs/algorithms.md §11.6): close the live segment into the library,
     * take as prior the candidate (source, previous estimate, library segments) closest to the held block, restart
     * the schedule, fold the held block into it, and restart the detector's warm-up.
     */
    private void startSegment(DomainState state, PooledMoments block) {
        if (state.library != null) {
            closeSegment(state);
        }
        double best = scorer.score(block.means(), block.vars(), sourceMean, sourceVar);
        PriorChoice choice = PriorChoice.SOURCE;
        int bestSegment = -1;
        double previous = scorer.score(block.means(), block.vars(), state.mean, state.var);
        if (previous < best) {
            best = previous;
            choice = PriorChoice.PREVIOUS;
        }
        if (state.library != null) {
            for (int k = 0; k < state.library.size(); k++) {
                PooledMoments segment = state.library.segment(k);
                double j = scorer.score(block.means(), block.vars(), segment.means(), segment.vars());
                if (j < best) {
                    best = j;
                    choice = PriorChoice.SEGMENT;
                    bestSegment = k;
                }
            }
        }
        for (int l = 0; l < state.mean.length; l++) {
            double[] m;
            double[] v;
            if (choice == PriorChoice.SOURCE) {
                m = sourceMean[l];
                v = sourceVar[l];
            } else if (choice == PriorChoice.SEGMENT) {
                m = state.library.segment(bestSegment).mean(l);
                v = state.library.segment(bestSegment).var(l);
            } else {
                continue;
            }
            System.arraycopy(m, 0, state.mean[l], 0, m.length);
            System.arraycopy(v, 0, state.var[l], 0, v.length);
        }
        if (choice == PriorChoice.SOURCE) {
            Arrays.fill(state.guard.noiseWeight, 0.0); // the prior carries no frame noise
        }
        state.guard.framesSeen = 0; // the dispersion starts over about the new segment's estimate
        state.policy.restart(state.schedule);
        foldBlock(state, block);
        detector.restart(state.detector);
        if (state.library != null) {
            mix(state);
        }
        lastPrior = choice;
    }

    /** Closes the live segment with the regime tag of the nearest stored segment if it is within τ_g. */
    private void closeSegment(DomainState state) {
        SegmentLibrary library = state.library;
        PooledMoments live = library.live();
        if (live.isEmpty()) {
            return;
        }
        double tau = gateTemperature(state);
        int tag = -1;
        if (tau > 0) {
            double nearest = Double.POSITIVE_INFINITY;
            for (int k = 0; k < library.size(); k++) {
                PooledMoments segment = library.segment(k);
                double j = scorer.score(live.means(), live.vars(), segment.means(), segment.vars());
                if (j < tau && j < nearest) {
                    nearest = j;
                    tag = library.tag(k);
                }
            }
        }
        library.closeLive(tag, state.frameCount);
    }

    /** Recomputes the fed statistics as the segment mixture, with gates g_k = exp(−J(segment k, live)/τ_g). */
    private void mix(DomainState state) {
        SegmentLibrary library = state.library;
        double tau = gateTemperature(state);
        for (int k = 0; k < library.size(); k++) {
            if (tau > 0) {
                PooledMoments segment = library.segment(k);
                double j = scorer.score(segment.means(), segment.vars(), state.mean, state.var);
                library.gates[k] = Math.exp(-j / tau);
            } else {
                library.gates[k] = 1.0;
            }
        }
        library.mix(state.mean, state.var, state.schedule.effectiveCount(), state.policy.segments(),
                state.fedMean, state.fedVar);
    }

    /** τ_g: the fixed temperature, or the detector's alarm level ρ·baseline in auto mode; 0 means no gate. */
    private double gateTemperature(DomainState state) {
        SegmentSettings settings = state.policy.segments();
        if (settings.gateOff()) {
            return 0.0;
        }
        if (settings.automaticGate()) {
            double level = detector.alarmLevel(state.detector);
            return Double.isNaN(level) ? 0.0 : level;
        }
        return settings.gateTemperature();
    }

    /** Recomputes the fed arrays from the estimate (and the library, if any). */
    void refreshFed(DomainState state) {
        if (state.feedsMixture()) {
            mix(state);
        } else {
            state.feedEstimate();
        }
        guard(state);
    }

    private void requireFits(DomainState state, FrameMoments frame) {
        if (state.source != source && !source.hasFingerprint(state.source.fingerprint())) {
            throw new IllegalArgumentException("domain state belongs to another model than this adapter");
        }
        if (!source.fits(frame)) {
            throw new IllegalArgumentException("frame moments are not shaped like the model's "
                    + source.layers() + " layers");
        }
    }
}
