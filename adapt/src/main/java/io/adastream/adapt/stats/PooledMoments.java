package io.adastream.adapt.stats;

import java.util.Arrays;

/**
 * Exact pooled statistics (count n, per-layer mean and population variance) of a block of frames, accumulated
 * frame by frame with the Chan merge. Used for closed stream segments and for the frames held during an alarm.
 */
public final class PooledMoments {

    private long count;
    private final double[][] mean;
    private final double[][] var;

    /** An empty accumulator for layers with the given channel counts. */
    public PooledMoments(int[] channels) {
        mean = new double[channels.length][];
        var = new double[channels.length][];
        for (int l = 0; l < channels.length; l++) {
            mean[l] = new double[channels[l]];
            var[l] = new double[channels[l]];
        }
    }

    /** Frames pooled so far. */
    public long count() {
        return count;
    }

    public boolean isEmpty() {
        return count == 0;
    }

    public int layers() {
        return mean.length;
    }

    /** A layer's pooled means (live array). */
    public double[] mean(int layer) {
        return mean[layer];
    }

    /** A layer's pooled population variances (live array). */
    public double[] var(int layer) {
        return var[layer];
    }

    /** All layers' pooled means (live arrays). */
    double[][] means() {
        return mean;
    }

    /** All layers' pooled variances (live arrays). */
    double[][] vars() {
        return var;
    }

    /** Pools one frame (Chan merge with count 1; the first frame is copied). */
    public void add(FrameMoments frame) {
        for (int l = 0; l < mean.length; l++) {
            MomentAlgebra.chanMerge(count, mean[l], var[l], frame.mean(l), frame.var(l));
        }
        count++;
    }

    /** Pools another block into this one (Chan merge). */
    public void add(PooledMoments other) {
        if (other.count == 0) {
            return;
        }
        for (int l = 0; l < mean.length; l++) {
            MomentAlgebra.chanMerge(count, mean[l], var[l], other.count, other.mean[l], other.var[l]);
        }
        count += other.count;
    }

    /** Makes this a copy of {@code other}. */
    public void copyFrom(PooledMoments other) {
        for (int l = 0; l < mean.length; l++) {
            System.arraycopy(other.mean[l], 0, mean[l], 0, mean[l].length);
            System.arraycopy(other.var[l], 0, var[l], 0, var[l].length);
        }
        count = other.count;
    }

    /** Sets the count directly; used by the snapshot reader after filling the arrays. */
    public void setCount(long count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, got " + count);
        }
        this.count = count;
    }

    /** Empties the accumulator. */
    public void clear() {
        count = 0;
        for (int l = 0; l < mean.length; l++) {
            Arrays.fill(mean[l], 0);
            Arrays.fill(var[l], 0);
        }
    }
}
