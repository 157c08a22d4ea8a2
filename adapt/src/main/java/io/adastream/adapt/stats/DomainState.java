package io.adastream.adapt.stats;

import io.adastream.adapt.stats.policy.AdaptationPolicy;
import io.adastream.adapt.stats.policy.SegmentSettings;
import io.adastream.adapt.stats.shift.DetectorState;

/**
 * Everything one target domain has learned: per layer and channel the adapted mean and variance (accumulated in
 * double, with float32 copies to feed the graph), the frames folded, the policy and its schedule, the shift
 * detector and its held frames, the {@code balanced} segment library, the model fingerprint, the frozen flag and a
 * version that grows on every change. Changed only by {@link DomainAdapter}; not thread-safe.
 */
public final class DomainState {

    final SourceStatistics source;
    AdaptationPolicy policy;
    final double[][] mean;
    final double[][] var;
    final float[][] fedMean;
    final float[][] fedVar;
    final io.adastream.adapt.stats.policy.Schedule schedule = new io.adastream.adapt.stats.policy.Schedule();
    final DetectorState detector = new DetectorState();
    /** The agreement guard's noise weight, dispersion and shrink factor per layer (docs/algorithms.md §11.11). */
    final GuardState guard;
    /** Non-spike frames held while an alarm is open. */
    final PooledMoments held;
    /** Spike frames held while an alarm is open. */
    final PooledMoments heldSpikes;
    SegmentLibrary library;
    long frameCount;
    long version;
    boolean frozen;
    /** Stream frames the next observed frame stands for ({@link #observeNextAs}); consumed by the adapter. */
    int span = 1;

    DomainState(SourceStatistics source, AdaptationPolicy policy) {
        this.source = source;
        int[] channels = source.channels();
        int layers = channels.length;
        mean = new double[layers][];
        var = new double[layers][];
        fedMean = new float[layers][];
        fedVar = new float[layers][];
        for (int l = 0; l < layers; l++) {
            mean[l] = new double[channels[l]];
            var[l] = new double[channels[l]];
            fedMean[l] = new float[channels[l]];
            fedVar[l] = new float[channels[l]];
        }
        held = new PooledMoments(channels);
        heldSpikes = new PooledMoments(channels);
        guard = new GuardState(channels);
        usePolicy(policy);
        toSource();
        policy.start(schedule);
    }

    /** A new domain at the source statistics, its schedule at the policy's start. */
    public static DomainState fromSource(SourceStatistics source, AdaptationPolicy policy) {
        return new DomainState(source, policy);
    }

    /**
     * Makes this state equal to {@code other} (a state of the same model), reusing its arrays: a scratch copy to
     * restore a domain from. Allocates only when the policy's segment library changes size.
     */
    public void copyFrom(DomainState other) {
        if (other.source != source && !source.hasFingerprint(other.source.fingerprint())) {
            throw new IllegalArgumentException("domain state belongs to another model");
        }
        usePolicy(other.policy);
        for (int l = 0; l < mean.length; l++) {
            System.arraycopy(other.mean[l], 0, mean[l], 0, mean[l].length);
            System.arraycopy(other.var[l], 0, var[l], 0, var[l].length);
            System.arraycopy(other.fedMean[l], 0, fedMean[l], 0, fedMean[l].length);
            System.arraycopy(other.fedVar[l], 0, fedVar[l], 0, fedVar[l].length);
        }
        schedule.set(other.schedule.effectiveCount(), other.schedule.step(), other.schedule.sourceWeight());
        DetectorState d = other.detector;
        detector.restore(d.frames(), d.baseline(), d.baselineSquare(), d.windowFrames(), d.alarmFrames(), d.shifts(),
                d.spikesSkipped());
        held.copyFrom(other.held);
        heldSpikes.copyFrom(other.heldSpikes);
        guard.copyFrom(other.guard);
        if (library != null) {
            library.copyFrom(other.library);
        }
        frameCount = other.frameCount;
        version = other.version;
        frozen = other.frozen;
        span = other.span;
    }

    /** Sets the policy and gives it a segment library if it needs one (an existing one of the same size is kept). */
    void usePolicy(AdaptationPolicy newPolicy) {
        this.policy = newPolicy;
        SegmentSettings settings = newPolicy.segments();
        if (settings == null) {
            library = null;
        } else if (library == null || library.capacity() != settings.maxSegments()) {
            library = new SegmentLibrary(source.channels(), settings.maxSegments());
        }
    }

    /** Statistics, fed arrays, counts, held frames and library back to the source; the detector cleared. */
    void toSource() {
        for (int l = 0; l < mean.length; l++) {
            source.copyMean(l, mean[l]);
            source.copyVar(l, var[l]);
        }
        frameCount = 0;
        held.clear();
        heldSpikes.clear();
        detector.clear();
        guard.clear();
        if (library != null) {
            library.clear();
        }
        feedEstimate();
    }

    /** Copies the estimate into the float32 fed arrays. */
    void feedEstimate() {
        for (int l = 0; l < mean.length; l++) {
            double[] m = mean[l];
            double[] v = var[l];
            float[] fm = fedMean[l];
            float[] fv = fedVar[l];
            for (int c = 0; c < m.length; c++) {
                fm[c] = (float) m[c];
                fv[c] = (float) v[c];
            }
        }
    }

    /** Whether the fed statistics are a segment mixture rather than the estimate itself. */
    boolean feedsMixture() {
        return library != null && library.size() > 0;
    }

    public SourceStatistics source() {
        return source;
    }

    /**
     * Declares that the domain's next observed frame stands for {@code frames} frames of its stream: itself and the
     * frames before it that the two-tier path served baked, unobserved. The adapter then learns its score and folds its
     * moments as that many frames, so that adaptation and detection keep the stream's pace; it uses the value once and
     * goes back to 1. Set by {@link io.adastream.adapt.twotier.TierRule#next} from the persisted two-tier state right
     * before the frame runs, so it is not part of the snapshot.
     */
    public void observeNextAs(int frames) {
        if (frames < 1) {
            throw new IllegalArgumentException("a frame stands for at least itself, got " + frames);
        }
        span = frames;
    }

    /** The frames the next observed frame stands for (1 unless {@link #observeNextAs} said otherwise). */
    public int span() {
        return span;
    }

    public AdaptationPolicy policy() {
        return policy;
    }

    public int layers() {
        return mean.length;
    }

    public int channels(int layer) {
        return mean[layer].length;
    }

    /** The adapted mean of a channel (double accumulator). */
    public double mean(int layer, int channel) {
        return mean[layer][channel];
    }

    /** The adapted population variance of a channel (double accumulator). */
    public double var(int layer, int channel) {
        return var[layer][channel];
    }

    /** Copies a layer's adapted means into {@code out}. */
    public void copyMean(int layer, double[] out) {
        System.arraycopy(mean[layer], 0, out, 0, mean[layer].length);
    }

    /** Copies a layer's adapted variances into {@code out}. */
    public void copyVar(int layer, double[] out) {
        System.arraycopy(var[layer], 0, out, 0, var[layer].length);
    }

    /**
     * The float32 means to feed the graph for this layer: the estimate, or for {@code balanced} with closed segments
     * the segment mixture, shrunk towards the source by the agreement guard's λ of the layer. The array is live and
     * reused (no allocation per frame): read it, do not modify it.
     */
    public float[] fedMean(int layer) {
        return fedMean[layer];
    }

    /** The float32 variances to feed the graph for this layer; live and reused like {@link #fedMean(int)}. */
    public float[] fedVar(int layer) {
        return fedVar[layer];
    }

    /** Frames folded into the estimate since the domain started or was reset (held blocks count their frames). */
    public long frameCount() {
        return frameCount;
    }

    /** Grows by one on every change of the state. */
    public long version() {
        return version;
    }

    public boolean frozen() {
        return frozen;
    }

    /** The SHA-256 fingerprint of the model this state belongs to. */
    public byte[] fingerprint() {
        return source.fingerprint();
    }

    /** The effective count {@code a} of the estimate (the recursion of docs/algorithms.md §11.3). */
    public double effectiveCount() {
        return schedule.effectiveCount();
    }

    /** Frames folded since the current segment started ({@code k} of {@code momentum-decay}). */
    public long segmentStep() {
        return schedule.step();
    }

    /** ω_src, the weight the source statistics still hold in the estimate. */
    public double sourceWeight() {
        return schedule.sourceWeight();
    }

    /** The weight the policy would give the next frame (0 while frozen). */
    public double nextWeight() {
        return frozen ? 0.0 : policy.peekWeight(schedule);
    }

    /** The shift detector's state (read it; only the adapter and the snapshot reader change it). */
    public DetectorState detector() {
        return detector;
    }

    /** Frames held by an open alarm (spikes included). */
    public long heldFrames() {
        return held.count() + heldSpikes.count();
    }

    /** The agreement guard's state (read it; only the adapter and the snapshot reader change it). */
    public GuardState guard() {
        return guard;
    }

    /** The {@code balanced} segment library, or null for other policies. */
    public SegmentLibrary segments() {
        return library;
    }
}
