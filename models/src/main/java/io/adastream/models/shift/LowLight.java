package io.adastream.models.shift;

import io.adastream.models.util.SplitMix64;

/**
 * {@code low_light} (AdaStream's own; ImageNet-C has no low-light corruption): an under-exposed night capture.
 * Pixels are darkened by a gamma curve and an exposure gain, {@code e · x^γ}, then get sensor noise: photon shot
 * noise {@code Poisson(e · x^γ · k) / k} and Gaussian read noise of sigma σ, clipped to [0, 1].
 * γ = [1.3, 1.6, 1.9, 2.2, 2.5], e = [0.7, 0.55, 0.42, 0.32, 0.25], k = [400, 250, 150, 100, 60],
 * σ = [0.005, 0.01, 0.015, 0.02, 0.03]. The mean falls and the relative noise rises with severity.
 */
final class LowLight implements CorruptionKernel {
    static final float[] GAMMA = {1.3f, 1.6f, 1.9f, 2.2f, 2.5f};
    static final float[] EXPOSURE = {0.7f, 0.55f, 0.42f, 0.32f, 0.25f};
    static final float[] PHOTONS = {400f, 250f, 150f, 100f, 60f};
    static final float[] READ_SIGMA = {0.005f, 0.01f, 0.015f, 0.02f, 0.03f};

    @Override
    public void apply(float[] src, float[] dst, int width, int height, int severity, SplitMix64 rng) {
        double gamma = GAMMA[severity - 1];
        double exposure = EXPOSURE[severity - 1];
        double photons = PHOTONS[severity - 1];
        double readSigma = READ_SIGMA[severity - 1];
        for (int i = 0; i < src.length; i++) {
            double dark = exposure * Math.pow(Math.max(0f, src[i]), gamma);
            double sensed = rng.nextPoisson(dark * photons) / photons + readSigma * rng.nextGaussian();
            dst[i] = Pixels.clamp01(sensed);
        }
    }
}
