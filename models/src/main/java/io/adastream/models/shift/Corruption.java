package io.adastream.models.shift;

import io.adastream.models.util.SplitMix64;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Named image corruptions with severities 1..5 (0 = none), after ImageNet-C: Hendrycks and Dietterich,
 * "Benchmarking Neural Network Robustness to Common Corruptions and Perturbations", ICLR 2019; reference code
 * {@code make_imagenet_c.py} / {@code make_tinyimagenet_c.py} (github.com/hendrycks/robustness) and the
 * {@code imagecorruptions} package (github.com/bethgelab/imagecorruptions). Since AdaStream's frames are small
 * (64x64 by default), the per-severity constants are those of Tiny-ImageNet-C (64x64), with spatial constants
 * scaled by {@code min(w, h) / 64}; each constant's class documents its values and the 224x224 ones.
 * {@link #LOW_LIGHT} and {@link #COLOR_CAST} have no ImageNet-C definition and are AdaStream's own.
 */
public enum Corruption {
    GAUSSIAN_NOISE("gaussian_noise", new NoiseKernels.Gaussian()),
    SHOT_NOISE("shot_noise", new NoiseKernels.Shot()),
    IMPULSE_NOISE("impulse_noise", new NoiseKernels.Impulse()),
    DEFOCUS_BLUR("defocus_blur", new DefocusBlur()),
    MOTION_BLUR("motion_blur", new MotionBlur()),
    FOG("fog", new Fog()),
    BRIGHTNESS("brightness", new Brightness()),
    CONTRAST("contrast", new Contrast()),
    JPEG_COMPRESSION("jpeg_compression", new JpegCompression()),
    PIXELATE("pixelate", new Pixelate()),
    LOW_LIGHT("low_light", new LowLight()),
    COLOR_CAST("color_cast", new ColorCast());

    /** The highest severity. */
    public static final int MAX_SEVERITY = 5;

    private final String id;
    private final CorruptionKernel kernel;

    Corruption(String id, CorruptionKernel kernel) {
        this.id = id;
        this.kernel = kernel;
    }

    /** The canonical name, ImageNet-C style ({@code gaussian_noise}, ..., {@code low_light}, {@code color_cast}). */
    public String id() {
        return id;
    }

    /**
     * The corruption with this name, ignoring case and treating '-' and ' ' like '_' (so {@code "low-light"} and
     * {@code "Color Cast"} work).
     *
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static Corruption byName(String name) {
        String key = name.trim().toLowerCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
        for (Corruption corruption : values()) {
            if (corruption.id.equals(key)) {
                return corruption;
            }
        }
        throw new IllegalArgumentException("unknown corruption '" + name + "'; known: " + names());
    }

    /** All canonical names, in declaration order. */
    public static List<String> names() {
        List<String> names = new ArrayList<>();
        for (Corruption corruption : values()) {
            names.add(corruption.id);
        }
        return Collections.unmodifiableList(names);
    }

    /**
     * A corrupted copy of an RGB image (HWC interleaved, values in [0, 1]); the input is not modified. Severity 0
     * returns an exact copy. Random corruptions draw from a generator seeded by {@code seed} (and this
     * corruption), so equal arguments give equal outputs.
     */
    public float[] apply(float[] rgbHWC, int width, int height, int severity, long seed) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("non-positive size " + width + "x" + height);
        }
        if (rgbHWC.length != width * height * 3) {
            throw new IllegalArgumentException("expected " + width + "*" + height + "*3 values, got " + rgbHWC.length);
        }
        if (severity < 0 || severity > MAX_SEVERITY) {
            throw new IllegalArgumentException("severity must be 0.." + MAX_SEVERITY + ": " + severity);
        }
        if (severity == 0) {
            return rgbHWC.clone();
        }
        float[] out = new float[rgbHWC.length];
        kernel.apply(rgbHWC, out, width, height, severity, SplitMix64.derive(seed, ordinal()));
        return out;
    }
}
