package io.adastream.models.task;

import ai.onnxruntime.OnnxJavaType;
import io.adastream.models.spec.ModelSpec;
import io.adastream.models.spec.OutputFormat;

import java.util.EnumSet;
import java.util.Set;
import java.util.function.Function;

/**
 * The check at start that a model's outputs are of the element types its spec's decoder reads (class ids and counts
 * may be int64, int32 or float; everything else float) and, for {@code ssd} with priors, of as many anchors as the
 * priors; a mismatch is refused in one line before any frame is read.
 */
public final class OutputCheck {

    private static final Set<OnnxJavaType> FLOAT = EnumSet.of(OnnxJavaType.FLOAT);
    private static final Set<OnnxJavaType> WHOLE = EnumSet.of(OnnxJavaType.FLOAT, OnnxJavaType.INT64, OnnxJavaType.INT32);

    /** What the check needs of one model output: its element type and declared shape (-1 for symbolic). */
    public record Declared(OnnxJavaType type, long[] shape) {
    }

    private OutputCheck() {
    }

    /**
     * Throws IllegalArgumentException (one line) when an output the spec names is of a type its decoder does not
     * read, or of another anchor count than the spec's priors.
     */
    public static void check(ModelSpec spec, Function<String, Declared> outputs) {
        ModelSpec.Output out = spec.output();
        OutputFormat f = out.outputFormat(spec.task());
        switch (f) {
            case SSD -> {
                require(outputs, out.boxes(), FLOAT, "ssd boxes");
                require(outputs, out.scores(), FLOAT, "ssd scores");
                if (out.priors() != null) {
                    long[] boxes = outputs.apply(out.boxes()).shape();
                    long anchors = boxes.length == 3 ? boxes[1] : -1;
                    long priors = out.priors().count(spec.input().width(), spec.input().height());
                    if (anchors > 0 && anchors != priors) {
                        throw new IllegalArgumentException("model output '" + out.boxes() + "' has " + anchors
                                + " anchors, the spec's output.priors make " + priors + " at " + spec.input().width()
                                + "x" + spec.input().height() + ": fix output.priors.strides and minSizes");
                    }
                }
            }
            case NMS_INCLUDED -> {
                if (out.split()) {
                    require(outputs, out.boxes(), FLOAT, "nms-included boxes");
                    require(outputs, out.scores(), FLOAT, "nms-included scores");
                    require(outputs, out.classIds(), WHOLE, "nms-included class ids");
                    if (out.count() != null) {
                        require(outputs, out.count(), WHOLE, "nms-included count");
                    }
                } else {
                    require(outputs, out.name(), FLOAT, "packed nms-included rows (a split output may have integer class ids)");
                }
            }
            case CLASS_IDS -> require(outputs, out.name(), WHOLE, "a class-ids output");
            default -> require(outputs, out.name(), FLOAT, "a " + f.specName() + " output");
        }
    }

    private static void require(Function<String, Declared> outputs, String name, Set<OnnxJavaType> types, String role) {
        OnnxJavaType t = outputs.apply(name).type();
        if (!types.contains(t)) {
            throw new IllegalArgumentException("model output '" + name + "' is " + t + ", but " + role + " must be "
                    + (types.size() == 1 ? "FLOAT" : "FLOAT, INT64 or INT32"));
        }
    }
}
