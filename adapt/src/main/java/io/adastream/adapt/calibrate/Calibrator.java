package io.adastream.adapt.calibrate;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import ai.onnxruntime.OrtException;
import io.adastream.adapt.onnx.BatchNormInspector;
import io.adastream.adapt.onnx.OnnxModel;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Recovers BatchNormalization layers that were folded into the convolutions at export: every Conv or ConvTranspose
 * of the main graph that is not already followed by a BatchNormalization, is not a head and has more than one
 * spatial position gets a BatchNormalization node with the population statistics of its output over the
 * calibration frames, the identity on those frames ({@link BatchNormInsertion}). The result is an ordinary ONNX
 * model; what was inserted, from how many frames, is recorded in its {@code metadata_props} under
 * {@code adastream.calibration.*}.
 */
public final class Calibrator {

    /**
     * The fewest frames calibration accepts. Each layer's mean and variance include the spread of the frames' own
     * means; with n frames its estimate carries about 1/sqrt(n) of that spread, 18% at 32 frames. Use a few hundred
     * frames of the domain the model was trained for where possible.
     */
    public static final int MIN_FRAMES = 32;

    /** Prefix of the metadata keys calibration writes. */
    public static final String METADATA_PREFIX = "adastream.calibration.";
    public static final String METADATA_FRAMES = METADATA_PREFIX + "frames";
    public static final String METADATA_INSERTED = METADATA_PREFIX + "inserted";
    public static final String METADATA_LAYERS = METADATA_PREFIX + "layers";
    public static final String METADATA_EPSILON = METADATA_PREFIX + "epsilon";
    public static final String METADATA_LEFT_ALONE = METADATA_PREFIX + "left_alone";
    public static final String METADATA_SOURCE = METADATA_PREFIX + "source.sha256";

    private Calibrator() {
    }

    /**
     * Calibrates a model on frames.
     *
     * @throws CalibrationException one line: NOTHING_TO_INSERT, TOO_FEW_FRAMES, BAD_FRAME, NON_FINITE or UNSUPPORTED
     */
    public static CalibrationResult calibrate(OnnxModel model, CalibrationFrames frames, CalibrationOptions options)
            throws CalibrationException, OrtException {
        String input = checkSupported(model);
        List<ConvSite> sites = ConvSurvey.survey(model.proto().getGraph());
        if (sites.stream().noneMatch(s -> s.role() == ConvSite.Role.CANDIDATE)) {
            throw nothingToInsert(sites);
        }
        if (frames.count() < MIN_FRAMES) {
            throw new CalibrationException(CalibrationException.Reason.TOO_FEW_FRAMES, "calibration needs at least "
                    + MIN_FRAMES + " frames, got " + frames.count());
        }
        ActivationStatistics.Measurement m = ActivationStatistics.measure(model.proto(), input, sites, frames, options);
        if (m.layers().isEmpty()) {
            throw nothingToInsert(m.sites());
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(METADATA_FRAMES, Integer.toString(frames.count()));
        metadata.put(METADATA_INSERTED, Integer.toString(m.layers().size()));
        metadata.put(METADATA_LAYERS, m.layers().stream().map(l -> l.site().name()).collect(Collectors.joining(",")));
        metadata.put(METADATA_EPSILON, Float.toString(options.epsilon()));
        metadata.put(METADATA_LEFT_ALONE, leftAlone(m.sites()));
        metadata.put(METADATA_SOURCE, model.fingerprintHex());
        ModelProto calibrated = BatchNormInsertion.insert(model.proto(), m.layers(), options.epsilon(), metadata);
        return new CalibrationResult(calibrated, m.layers(), m.sites(), frames.count(), options.epsilon());
    }

    /** The single model input calibration feeds, after checking the model is one it handles. */
    static String checkSupported(OnnxModel model) throws CalibrationException {
        if (BatchNormInspector.inspect(model).alreadyRewritten()) {
            throw new CalibrationException(CalibrationException.Reason.UNSUPPORTED,
                    "the model is an adaptive graph written by AdaStream; calibrate the original model instead");
        }
        int opset = model.opset();
        if (opset < BatchNormInspector.MIN_OPSET || opset > BatchNormInspector.MAX_OPSET) {
            throw new CalibrationException(CalibrationException.Reason.UNSUPPORTED, "opset " + opset
                    + " is not supported (supported: " + BatchNormInspector.MIN_OPSET + " to " + BatchNormInspector.MAX_OPSET + ")");
        }
        GraphProto graph = model.proto().getGraph();
        Set<String> initializers = new HashSet<>();
        for (TensorProto t : graph.getInitializerList()) {
            initializers.add(t.getName());
        }
        List<String> inputs = graph.getInputList().stream().map(ValueInfoProto::getName)
                .filter(n -> !initializers.contains(n)).toList();
        if (inputs.size() != 1) {
            throw new CalibrationException(CalibrationException.Reason.UNSUPPORTED,
                    "calibration supports models with one input; this one has " + inputs);
        }
        return inputs.get(0);
    }

    private static CalibrationException nothingToInsert(List<ConvSite> sites) {
        return new CalibrationException(CalibrationException.Reason.NOTHING_TO_INSERT, "nothing to insert: of "
                + sites.size() + " convolutions, " + leftAlone(sites)
                + (sites.isEmpty() ? " (the model has no Conv or ConvTranspose node)" : ""));
    }

    /** "35 already followed by BatchNormalization, 8 heads, ..." over the non-candidate roles. */
    static String leftAlone(List<ConvSite> sites) {
        Map<ConvSite.Role, Long> counts = new LinkedHashMap<>();
        for (ConvSite.Role r : ConvSite.Role.values()) {
            if (r != ConvSite.Role.CANDIDATE) {
                counts.put(r, sites.stream().filter(s -> s.role() == r).count());
            }
        }
        return counts.entrySet().stream()
                .map(e -> String.format(Locale.ROOT, "%d %s", e.getValue(), e.getKey().description()))
                .collect(Collectors.joining(", "));
    }
}
