package io.adastream.adapt.stats;

import io.adastream.adapt.stats.policy.SegmentSettings;

/**
 * The {@code balanced} policy's memory of a domain's stream segments (docs/algorithms.md §6.3 and §11.5): the exact pooled
 * moments of the live segment's frames, and up to K_max closed segments (count n_k, per-layer μ_k and σ²_k,
 * a regime tag, the frame it was created at). The fed statistics are the exact mixture of the live estimate and
 * the closed segments with Dirichlet weights π ∝ (α_D + count)·gate.
 */
public final class SegmentLibrary {

    /** One closed segment. */
    static final class Segment {
        int tag;
        long createdAt;
        final PooledMoments moments;

        Segment(int[] channels) {
            moments = new PooledMoments(channels);
        }
    }

    private final int capacity;
    private final Segment[] segments;
    private final PooledMoments live;
    private int size;
    private int nextTag;
    private int framesSinceMixture;
    /** π of the last mixture: [0] the live estimate, [1 + k] segment k. */
    private final double[] weights;
    /** g_k of the segments, filled before a mixture. */
    final double[] gates;
    private final double[] componentMean;
    private final double[] componentVar;
    private final double[] mixed = new double[2];

    SegmentLibrary(int[] channels, int capacity) {
        this.capacity = capacity;
        this.segments = new Segment[capacity];
        for (int i = 0; i < capacity; i++) {
            segments[i] = new Segment(channels);
        }
        this.live = new PooledMoments(channels);
        this.weights = new double[capacity + 1];
        this.gates = new double[capacity];
        this.componentMean = new double[capacity + 1];
        this.componentVar = new double[capacity + 1];
        weights[0] = 1.0;
    }

    public int capacity() {
        return capacity;
    }

    /** Closed segments held. */
    public int size() {
        return size;
    }

    /** Pooled moments of the live segment's frames. */
    public PooledMoments live() {
        return live;
    }

    /** Pooled moments of closed segment {@code k} (0 = oldest). */
    public PooledMoments segment(int k) {
        check(k);
        return segments[k].moments;
    }

    /** Regime tag of closed segment {@code k}. */
    public int tag(int k) {
        check(k);
        return segments[k].tag;
    }

    /** The domain frame count at which closed segment {@code k} was closed. */
    public long createdAt(int k) {
        check(k);
        return segments[k].createdAt;
    }

    /** The weight π of the live estimate in the last mixture. */
    public double liveWeight() {
        return weights[0];
    }

    /** The weight π of closed segment {@code k} in the last mixture. */
    public double weight(int k) {
        check(k);
        return weights[1 + k];
    }

    /** Frames folded since the mixture was last recomputed. */
    public int framesSinceMixture() {
        return framesSinceMixture;
    }

    int nextTag() {
        return nextTag;
    }

    void countFrame() {
        framesSinceMixture++;
    }

    /**
     * Closes the live segment into the library with the given regime tag (−1: a new tag). When the library is full,
     * first merges (Chan) the two oldest segments sharing a tag, or else the two oldest segments.
     */
    void closeLive(int tag, long createdAt) {
        if (live.isEmpty()) {
            return;
        }
        if (size == capacity) {
            makeRoom();
        }
        Segment s = segments[size++];
        s.moments.copyFrom(live);
        s.tag = tag >= 0 ? tag : nextTag++;
        s.createdAt = createdAt;
        live.clear();
    }

    private void makeRoom() {
        if (capacity == 1) {
            remove(0);
            return;
        }
        for (int i = 0; i < size; i++) {
            for (int j = i + 1; j < size; j++) {
                if (segments[i].tag == segments[j].tag) {
                    segments[i].moments.add(segments[j].moments);
                    remove(j);
                    return;
                }
            }
        }
        segments[0].moments.add(segments[1].moments);
        remove(1);
    }

    private void remove(int k) {
        Segment removed = segments[k];
        System.arraycopy(segments, k + 1, segments, k, size - k - 1);
        segments[size - 1] = removed;
        removed.moments.clear();
        size--;
    }

    /**
     * Recomputes the fed statistics as the exact mixture of the live estimate (count a) and the closed segments
     * (counts n_k, gates g_k from {@link #gates}): π_live ∝ α_D + a, π_k ∝ (α_D + n_k)·g_k, normalized;
     * α_D = +∞ gives every component the same weight (times its gate). Then μ = Σ π μ_k, σ² = Σ π (σ²_k + (μ_k − μ)²).
     */
    void mix(double[][] liveMean, double[][] liveVar, double liveCount, SegmentSettings settings,
             float[][] fedMean, float[][] fedVar) {
        double alpha = settings.concentration();
        boolean equal = Double.isInfinite(alpha);
        weights[0] = equal ? 1.0 : alpha + liveCount;
        double total = weights[0];
        for (int k = 0; k < size; k++) {
            double count = equal ? 1.0 : alpha + segments[k].moments.count();
            weights[1 + k] = count * gates[k];
            total += weights[1 + k];
        }
        if (!(total > 0)) {
            weights[0] = 1.0;
            total = 1.0;
        }
        for (int i = 0; i <= size; i++) {
            weights[i] /= total;
        }
        int components = size + 1;
        for (int l = 0; l < liveMean.length; l++) {
            float[] fm = fedMean[l];
            float[] fv = fedVar[l];
            for (int c = 0; c < fm.length; c++) {
                componentMean[0] = liveMean[l][c];
                componentVar[0] = liveVar[l][c];
                for (int k = 0; k < size; k++) {
                    componentMean[1 + k] = segments[k].moments.mean(l)[c];
                    componentVar[1 + k] = segments[k].moments.var(l)[c];
                }
                MomentAlgebra.mixture(weights, componentMean, componentVar, components, mixed);
                fm[c] = (float) mixed[0];
                fv[c] = (float) mixed[1];
            }
        }
        framesSinceMixture = 0;
    }

    /** Restores the bookkeeping after the snapshot reader filled the segments. */
    void restore(int size, int nextTag, int framesSinceMixture, double[] weights) {
        this.size = size;
        this.nextTag = nextTag;
        this.framesSinceMixture = framesSinceMixture;
        System.arraycopy(weights, 0, this.weights, 0, size + 1);
    }

    /** Makes this library (of the same shape) equal to {@code other}. */
    void copyFrom(SegmentLibrary other) {
        for (int k = 0; k < capacity; k++) {
            segments[k].tag = other.segments[k].tag;
            segments[k].createdAt = other.segments[k].createdAt;
            segments[k].moments.copyFrom(other.segments[k].moments);
        }
        live.copyFrom(other.live);
        size = other.size;
        nextTag = other.nextTag;
        framesSinceMixture = other.framesSinceMixture;
        System.arraycopy(other.weights, 0, weights, 0, weights.length);
        System.arraycopy(other.gates, 0, gates, 0, gates.length);
    }

    void restoreSegment(int k, int tag, long createdAt) {
        segments[k].tag = tag;
        segments[k].createdAt = createdAt;
    }

    PooledMoments slot(int k) {
        return segments[k].moments;
    }

    void clear() {
        for (int k = 0; k < size; k++) {
            segments[k].moments.clear();
        }
        size = 0;
        nextTag = 0;
        framesSinceMixture = 0;
        live.clear();
        java.util.Arrays.fill(weights, 0);
        weights[0] = 1.0;
    }

    private void check(int k) {
        if (k < 0 || k >= size) {
            throw new IndexOutOfBoundsException("segment " + k + " of " + size);
        }
    }
}
