package io.adastream.models.shift;

import io.adastream.models.util.SplitMix64;

/**
 * The three ImageNet-C noise corruptions, with the per-severity constants of Tiny-ImageNet-C (64x64 images;
 * {@code make_tinyimagenet_c.py} in github.com/hendrycks/robustness). Noise amplitudes are per pixel, so they are
 * used unscaled for other sizes. The 224x224 ImageNet-C constants ({@code make_imagenet_c.py}) are noted for
 * reference.
 */
final class NoiseKernels {
    private NoiseKernels() {
    }

    /**
     * {@code gaussian_noise}: {@code clip(x + N(0, c))}, c = [0.04, 0.08, 0.12, 0.15, 0.18] (Tiny-ImageNet-C;
     * ImageNet-C: [.08, .12, .18, .26, .38]).
     */
    static final class Gaussian implements CorruptionKernel {
        static final float[] SIGMA = {0.04f, 0.08f, 0.12f, 0.15f, 0.18f};

        @Override
        public void apply(float[] src, float[] dst, int width, int height, int severity, SplitMix64 rng) {
            double sigma = SIGMA[severity - 1];
            for (int i = 0; i < src.length; i++) {
                dst[i] = Pixels.clamp01(src[i] + sigma * rng.nextGaussian());
            }
        }
    }

    /**
     * {@code shot_noise}: {@code clip(Poisson(x * c) / c)}, photon scale c = [250, 100, 50, 30, 15]
     * (Tiny-ImageNet-C; ImageNet-C: [60, 25, 12, 5, 3]). Adaptation: Poisson means above 30 are drawn from the
     * normal approximation (see {@link SplitMix64#nextPoisson}).
     */
    static final class Shot implements CorruptionKernel {
        static final float[] PHOTONS = {250f, 100f, 50f, 30f, 15f};

        @Override
        public void apply(float[] src, float[] dst, int width, int height, int severity, SplitMix64 rng) {
            double photons = PHOTONS[severity - 1];
            for (int i = 0; i < src.length; i++) {
                dst[i] = Pixels.clamp01(rng.nextPoisson(src[i] * photons) / photons);
            }
        }
    }

    /**
     * {@code impulse_noise}: salt-and-pepper as {@code skimage.util.random_noise(mode='s&p', amount=c)}: each
     * element (pixel channel) is replaced with probability c, by 1 or 0 with equal odds;
     * c = [0.01, 0.02, 0.05, 0.08, 0.14] (Tiny-ImageNet-C; ImageNet-C: [.03, .06, .09, .17, .27]).
     */
    static final class Impulse implements CorruptionKernel {
        static final float[] AMOUNT = {0.01f, 0.02f, 0.05f, 0.08f, 0.14f};

        @Override
        public void apply(float[] src, float[] dst, int width, int height, int severity, SplitMix64 rng) {
            float amount = AMOUNT[severity - 1];
            for (int i = 0; i < src.length; i++) {
                if (rng.nextFloat() < amount) {
                    dst[i] = rng.nextFloat() < 0.5f ? 1f : 0f;
                } else {
                    dst[i] = src[i];
                }
            }
        }
    }
}
