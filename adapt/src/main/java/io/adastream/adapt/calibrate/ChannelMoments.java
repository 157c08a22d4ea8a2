package io.adastream.adapt.calibrate;

import java.nio.FloatBuffer;

/**
 * Population mean and variance per channel of one activation over many frames and all their positions, in double:
 * each frame's mean and sum of squared deviations by two passes, merged across frames exactly (Chan et al.).
 */
public final class ChannelMoments {

    private final int channels;
    private final double[] mean;
    private final double[] m2;
    private long count;

    public ChannelMoments(int channels) {
        this.channels = channels;
        this.mean = new double[channels];
        this.m2 = new double[channels];
    }

    public int channels() {
        return channels;
    }

    /** Values per channel seen so far (frames times positions). */
    public long count() {
        return count;
    }

    /**
     * Adds one sample laid out {@code [C, S]} starting at the buffer's position.
     *
     * @return false (adding nothing) if the sample holds a NaN or infinity
     */
    public boolean add(FloatBuffer sample, int spatial) {
        int base = sample.position();
        double[] frameMean = new double[channels];
        double[] frameM2 = new double[channels];
        for (int c = 0; c < channels; c++) {
            int offset = base + c * spatial;
            double sum = 0;
            for (int s = 0; s < spatial; s++) {
                sum += sample.get(offset + s);
            }
            if (!Double.isFinite(sum)) {
                return false;
            }
            double m = sum / spatial;
            double squares = 0;
            for (int s = 0; s < spatial; s++) {
                double d = sample.get(offset + s) - m;
                squares += d * d;
            }
            if (!Double.isFinite(squares)) {
                return false;
            }
            frameMean[c] = m;
            frameM2[c] = squares;
        }
        long n = count + spatial;
        for (int c = 0; c < channels; c++) {
            double delta = frameMean[c] - mean[c];
            mean[c] += delta * spatial / n;
            m2[c] += frameM2[c] + delta * delta * ((double) count * spatial / n);
        }
        count = n;
        return true;
    }

    /** The population mean of channel {@code c}. */
    public double mean(int c) {
        return mean[c];
    }

    /** The population variance (divisor: the count) of channel {@code c}. */
    public double variance(int c) {
        return count == 0 ? 0 : m2[c] / count;
    }
}
