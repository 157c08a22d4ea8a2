package io.adastream.adapt.onnx;

/**
 * The stable input and output names that a rewritten (adaptive) model adds to the original ones.
 * Layer {@code l} is the l-th rewritten BatchNormalization node in graph order, counted from 0.
 *
 * <ul>
 *   <li>inputs {@code adastream.mean.<l>} and {@code adastream.var.<l>}: float {@code [N, C_l]}, the
 *       statistics each sample is normalized with;</li>
 *   <li>input {@code adastream.blend}: float {@code [N, L]}, the weight of each sample's own moments per layer
 *       (0 normalizes with the fed statistics, 1 with the sample's own);</li>
 *   <li>outputs {@code adastream.moment.mean.<l>} and {@code adastream.moment.var.<l>}: float {@code [N, C_l]},
 *       the per-sample mean and population variance of the layer's input over all axes but N and C.</li>
 * </ul>
 */
public final class AdaptiveNames {

    /** Prefix of every name the rewrite adds; internal tensors use {@code adastream/}. */
    public static final String PREFIX = "adastream.";
    public static final String BLEND = "adastream.blend";
    /** Metadata key written into rewritten models; its value is the rewrite format version. */
    public static final String METADATA_KEY = "adastream.adaptive";
    public static final String FORMAT_VERSION = "1";

    private AdaptiveNames() {
    }

    public static String mean(int layer) {
        return "adastream.mean." + layer;
    }

    public static String var(int layer) {
        return "adastream.var." + layer;
    }

    public static String momentMean(int layer) {
        return "adastream.moment.mean." + layer;
    }

    public static String momentVar(int layer) {
        return "adastream.moment.var." + layer;
    }
}
