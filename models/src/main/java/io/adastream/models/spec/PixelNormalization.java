package io.adastream.models.spec;

import java.util.Arrays;
import java.util.List;

/**
 * The normalizations models are exported with, each an affine map {@code x * scale[c] + offset[c]} of a pixel value
 * x in 0..255 of model channel c. A spec names one in {@code input.normalize}.
 */
public enum PixelNormalization {
    /** {@code (x / 255 - mean[c]) / std[c]}, mean and std in [0, 1] units (torchvision, the demo models). */
    UNIT_MEAN_STD("unit-mean-std", true),
    /** {@code (x - mean[c]) / std[c]}, mean and std in 0..255 units (Caffe- and mmdetection-style exports). */
    PIXEL_MEAN_STD("pixel-mean-std", true),
    /** {@code x / 255} (YOLO exports, FastestDet). */
    UNIT("unit", false),
    /** {@code (x - 127) / 128} (UltraFace, many MobileNet-SSD exports). */
    SIGNED_127("signed-127", false),
    /** {@code x * scale[c] + offset[c]}, both given in the spec. */
    SCALE_OFFSET("scale-offset", false);

    private final String specName;
    private final boolean usesMeanStd;

    PixelNormalization(String specName, boolean usesMeanStd) {
        this.specName = specName;
        this.usesMeanStd = usesMeanStd;
    }

    /** The name a spec uses. */
    public String specName() {
        return specName;
    }

    /** Whether the form reads {@code input.mean} and {@code input.std}. */
    public boolean usesMeanStd() {
        return usesMeanStd;
    }

    /** The form of a spec name; throws IllegalArgumentException for an unknown one. */
    public static PixelNormalization byName(String name) {
        for (PixelNormalization n : values()) {
            if (n.specName.equals(name)) {
                return n;
            }
        }
        throw new IllegalArgumentException("unknown normalization '" + name + "'; known: " + names());
    }

    static boolean known(String name) {
        return Arrays.stream(values()).anyMatch(n -> n.specName.equals(name));
    }

    /** All spec names. */
    public static List<String> names() {
        return Arrays.stream(values()).map(PixelNormalization::specName).toList();
    }

    /** Per model channel, the factor a 0..255 pixel value is multiplied by. */
    public float[] scale(ModelSpec.Input input) {
        float[] s = new float[3];
        for (int c = 0; c < 3; c++) {
            s[c] = switch (this) {
                case UNIT_MEAN_STD -> (1f / input.std()[c]) / 255f;
                case PIXEL_MEAN_STD -> 1f / input.std()[c];
                case UNIT -> 1f / 255f;
                case SIGNED_127 -> 1f / 128f;
                case SCALE_OFFSET -> input.scale()[c];
            };
        }
        return s;
    }

    /** Per model channel, what is added after scaling. */
    public float[] offset(ModelSpec.Input input) {
        float[] o = new float[3];
        for (int c = 0; c < 3; c++) {
            o[c] = switch (this) {
                case UNIT_MEAN_STD, PIXEL_MEAN_STD -> -(input.mean()[c] * (1f / input.std()[c]));
                case UNIT -> 0f;
                case SIGNED_127 -> -127f / 128f;
                case SCALE_OFFSET -> input.offset()[c];
            };
        }
        return o;
    }
}
