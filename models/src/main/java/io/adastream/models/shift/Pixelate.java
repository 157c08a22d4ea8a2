package io.adastream.models.shift;

import io.adastream.models.util.SplitMix64;

/**
 * ImageNet-C {@code pixelate}: resize down to {@code int(side · c)} and back up, both with PIL's BOX filter,
 * c = [0.9, 0.8, 0.7, 0.6, 0.5] from Tiny-ImageNet-C ({@code make_tinyimagenet_c.py}, 64x64; ImageNet-C
 * 224x224: [0.6, 0.5, 0.4, 0.3, 0.25]). The BOX filter follows Pillow's resampling: an output pixel averages the
 * input pixels whose centres fall in its footprint (so upscaling is nearest neighbour).
 */
final class Pixelate implements CorruptionKernel {
    static final float[] FACTOR = {0.9f, 0.8f, 0.7f, 0.6f, 0.5f};

    @Override
    public void apply(float[] src, float[] dst, int width, int height, int severity, SplitMix64 rng) {
        float factor = FACTOR[severity - 1];
        int smallW = Math.max(1, (int) (width * factor));
        int smallH = Math.max(1, (int) (height * factor));
        float[] small = resize(src, width, height, smallW, smallH);
        float[] back = resize(small, smallW, smallH, width, height);
        System.arraycopy(back, 0, dst, 0, dst.length);
    }

    static float[] resize(float[] src, int inW, int inH, int outW, int outH) {
        float[] horizontal = new float[outW * inH * 3];
        resample(src, inW, inH, outW, true, horizontal);
        float[] out = new float[outW * outH * 3];
        resample(horizontal, outW, inH, outH, false, out);
        return out;
    }

    /** One pass of Pillow's separable BOX resampling along x (horizontal) or y. */
    private static void resample(float[] src, int w, int h, int outSize, boolean horizontal, float[] dst) {
        int inSize = horizontal ? w : h;
        double scale = (double) inSize / outSize;
        double filterScale = Math.max(scale, 1.0);
        double support = 0.5 * filterScale;
        for (int i = 0; i < outSize; i++) {
            double centre = (i + 0.5) * scale;
            int lo = Math.max((int) (centre - support + 0.5), 0);
            int hi = Math.min((int) (centre + support + 0.5), inSize);
            int count = 0;
            int first = -1;
            for (int j = lo; j < hi; j++) {
                double t = (j - centre + 0.5) / filterScale;
                if (t > -0.5 && t <= 0.5) {
                    if (first < 0) {
                        first = j;
                    }
                    count++;
                }
            }
            if (count == 0) {
                first = Math.min(inSize - 1, (int) centre);
                count = 1;
            }
            float weight = 1f / count;
            int lines = horizontal ? h : w;
            for (int line = 0; line < lines; line++) {
                for (int c = 0; c < 3; c++) {
                    float sum = 0f;
                    for (int j = first; j < first + count; j++) {
                        int s = horizontal ? (line * w + j) * 3 + c : (j * w + line) * 3 + c;
                        sum += src[s];
                    }
                    int d = horizontal ? (line * outSize + i) * 3 + c : (i * w + line) * 3 + c;
                    dst[d] = sum * weight;
                }
            }
        }
    }
}
