package io.adastream.models.task;

import io.adastream.models.spec.ModelSpec;

/**
 * The priors of an SSD-style detector at one input size, generated once from the spec's levels (see
 * {@link ModelSpec.Priors}), and the decoding of a raw offset row against its prior into a box in input pixels.
 * Immutable.
 */
public final class PriorBoxes {
    private final float[] priors; // cx, cy, w, h per prior, fractions of the input
    private final float centreVariance;
    private final float sizeVariance;
    private final int width;
    private final int height;

    private PriorBoxes(float[] priors, float centreVariance, float sizeVariance, int width, int height) {
        this.priors = priors;
        this.centreVariance = centreVariance;
        this.sizeVariance = sizeVariance;
        this.width = width;
        this.height = height;
    }

    /** The priors of {@code levels} for an input of {@code width} x {@code height}. */
    public static PriorBoxes generate(ModelSpec.Priors levels, int width, int height) {
        long count = levels.count(width, height);
        if (count > ModelSpec.Priors.MAX_PRIORS) {
            throw new IllegalArgumentException(count + " priors, more than " + ModelSpec.Priors.MAX_PRIORS);
        }
        float[] out = new float[Math.toIntExact(4 * count)];
        boolean clip = levels.clipped();
        int at = 0;
        for (int k = 0; k < levels.strides().length; k++) {
            int stride = levels.strides()[k];
            int fw = (int) ModelSpec.Priors.cells(width, stride);
            int fh = (int) ModelSpec.Priors.cells(height, stride);
            double stepX = levels.featureMapCentres() ? 1.0 / fw : (double) stride / width;
            double stepY = levels.featureMapCentres() ? 1.0 / fh : (double) stride / height;
            for (int j = 0; j < fh; j++) {
                for (int i = 0; i < fw; i++) {
                    for (int m : levels.minSizes()[k]) {
                        out[at++] = unit((i + 0.5) * stepX, clip);
                        out[at++] = unit((j + 0.5) * stepY, clip);
                        out[at++] = unit((double) m / width, clip);
                        out[at++] = unit((double) m / height, clip);
                    }
                }
            }
        }
        return new PriorBoxes(out, levels.centreVarianceOrDefault(), levels.sizeVarianceOrDefault(), width, height);
    }

    private static float unit(double v, boolean clip) {
        return (float) (clip ? Math.min(1, Math.max(0, v)) : v);
    }

    /** Number of priors. */
    public int count() {
        return priors.length / 4;
    }

    /** Prior {@code index} as (cx, cy, w, h) in fractions of the input. */
    public float[] prior(int index) {
        return new float[]{priors[4 * index], priors[4 * index + 1], priors[4 * index + 2], priors[4 * index + 3]};
    }

    /** The box that offsets (tx, ty, tw, th) of prior {@code index} decode to, in input pixels. */
    public Box decode(int index, float tx, float ty, float tw, float th) {
        int p = 4 * index;
        float pw = priors[p + 2];
        float ph = priors[p + 3];
        float cx = priors[p] + tx * centreVariance * pw;
        float cy = priors[p + 1] + ty * centreVariance * ph;
        float w = (float) Math.exp(tw * sizeVariance) * pw;
        float h = (float) Math.exp(th * sizeVariance) * ph;
        return new Box((cx - w / 2) * width, (cy - h / 2) * height, (cx + w / 2) * width, (cy + h / 2) * height);
    }
}
