package io.adastream.models.shift;

import io.adastream.models.util.SplitMix64;

/** One corruption's pixel work: reads {@code src} (HWC, [0,1]) and writes every element of {@code dst}. */
interface CorruptionKernel {
    void apply(float[] src, float[] dst, int width, int height, int severity, SplitMix64 rng);
}
