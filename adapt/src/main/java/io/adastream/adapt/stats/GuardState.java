package io.adastream.adapt.stats;

import java.util.Arrays;

/**
 * A domain's agreement-guard state (docs/algorithms.md §11.11): per layer the noise weight E = Σw² of the estimate,
 * the running frame dispersion D and the last shrink factor λ, and the frames the dispersion has seen since the
 * domain or its segment started; and the condition gate's window (§11.12): a running mean of the first layer's frame
 * moments, its noise weight and frame count, and the last gate factor. Changed only by {@link DomainAdapter} and the
 * snapshot reader.
 */
public final class GuardState {

    final double[] noiseWeight;
    final double[] spread;
    final double[] scale;
    long framesSeen;
    final double[] windowMean;
    final double[] windowVar;
    double windowNoise;
    long windowFrames;
    double gate;

    GuardState(int[] channels) {
        int layers = channels.length;
        noiseWeight = new double[layers];
        spread = new double[layers];
        scale = new double[layers];
        windowMean = new double[layers == 0 ? 0 : channels[0]];
        windowVar = new double[windowMean.length];
        clear();
    }

    /** Back to a fresh domain: no noise, no dispersion seen, λ = 1. */
    void clear() {
        Arrays.fill(noiseWeight, 0.0);
        Arrays.fill(spread, 0.0);
        Arrays.fill(scale, 1.0);
        framesSeen = 0;
        Arrays.fill(windowMean, 0.0);
        Arrays.fill(windowVar, 0.0);
        windowNoise = 0;
        windowFrames = 0;
        gate = 1.0;
    }

    void copyFrom(GuardState other) {
        System.arraycopy(other.noiseWeight, 0, noiseWeight, 0, noiseWeight.length);
        System.arraycopy(other.spread, 0, spread, 0, spread.length);
        System.arraycopy(other.scale, 0, scale, 0, scale.length);
        framesSeen = other.framesSeen;
        System.arraycopy(other.windowMean, 0, windowMean, 0, windowMean.length);
        System.arraycopy(other.windowVar, 0, windowVar, 0, windowVar.length);
        windowNoise = other.windowNoise;
        windowFrames = other.windowFrames;
        gate = other.gate;
    }

    /** E_l, the sum of the squared fold weights of the frames in the layer's estimate. */
    public double noiseWeight(int layer) {
        return noiseWeight[layer];
    }

    /** D_l, the running mean of the frames' dispersion about the estimate. */
    public double spread(int layer) {
        return spread[layer];
    }

    /** λ_l, the shrink factor of the layer's fed statistics (1: not shrunk). */
    public double scale(int layer) {
        return scale[layer];
    }

    /** g, the condition gate's last factor (0: served the source; 1: adapted as the agreement guard allows). */
    public double gate() {
        return gate;
    }

    /** Frames the condition gate's window has seen since the domain started. */
    public long windowFrames() {
        return windowFrames;
    }

    /** Frames whose dispersion was seen since the domain or its current segment started. */
    public long framesSeen() {
        return framesSeen;
    }
}
