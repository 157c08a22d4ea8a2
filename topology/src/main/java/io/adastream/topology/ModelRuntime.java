package io.adastream.topology;

import ai.onnxruntime.OrtException;
import io.adastream.adapt.inference.AdaptationMode;
import io.adastream.adapt.inference.AdaptiveRunner;
import io.adastream.adapt.onnx.AdaptiveGraphRewriter;
import io.adastream.adapt.onnx.AdaptiveModel;
import io.adastream.adapt.onnx.ModelFormatException;
import io.adastream.adapt.onnx.OnnxModel;
import io.adastream.adapt.session.AdaptiveSession;
import io.adastream.adapt.session.SessionConfig;
import io.adastream.adapt.stats.DomainAdapter;
import io.adastream.adapt.stats.SourceStatistics;
import io.adastream.adapt.stats.policy.AdaptationPolicy;
import io.adastream.adapt.stats.policy.Policies;
import io.adastream.models.spec.ModelSpec;

import java.util.Map;

/**
 * One model as the service runs it: its spec, the original and adaptive graphs, the shared ONNX Runtime session,
 * the source statistics and the default policy. Created once per process; tasks get their own runners from it.
 */
public final class ModelRuntime implements AutoCloseable {

    private final ModelSpec spec;
    private final OnnxModel original;
    private final AdaptiveModel adaptive;
    private final AdaptiveSession session;
    private final SourceStatistics source;
    private final String policyName;
    private final Map<String, String> policyParameters;
    private final AdaptationMode mode;
    private final SessionConfig sessionConfig;

    public ModelRuntime(ModelSpec spec, byte[] onnx, SessionConfig sessionConfig, String policyName,
                        Map<String, String> policyParameters, AdaptationMode mode) throws ModelFormatException, OrtException {
        this.spec = spec;
        this.original = OnnxModel.parse(onnx);
        this.adaptive = AdaptiveGraphRewriter.rewrite(original);
        if (!adaptive.modelInputs().contains(spec.input().name())) {
            throw new ModelFormatException(ModelFormatException.Reason.UNSUPPORTED, "the model has no input '"
                    + spec.input().name() + "' named in its spec; inputs: " + adaptive.modelInputs());
        }
        for (String output : spec.output().tensorNames(spec.task())) {
            if (!adaptive.modelOutputs().contains(output)) {
                throw new ModelFormatException(ModelFormatException.Reason.UNSUPPORTED, "the model has no output '"
                        + output + "' named in its spec; outputs: " + adaptive.modelOutputs());
            }
        }
        this.source = SourceStatistics.of(adaptive);
        this.policyName = policyName;
        this.policyParameters = Map.copyOf(policyParameters);
        Policies.create(policyName, policyParameters); // fail at start on a bad policy
        this.mode = mode;
        this.session = AdaptiveSession.open(adaptive, sessionConfig);
        this.sessionConfig = sessionConfig;
    }

    public ModelSpec spec() {
        return spec;
    }

    public OnnxModel original() {
        return original;
    }

    public AdaptiveModel adaptive() {
        return adaptive;
    }

    public SourceStatistics source() {
        return source;
    }

    public AdaptiveSession session() {
        return session;
    }

    /** The settings the sessions of this model run with (baked sessions open with the same). */
    public SessionConfig sessionConfig() {
        return sessionConfig;
    }

    public AdaptationMode mode() {
        return mode;
    }

    /** A fresh instance of the configured default policy. */
    public AdaptationPolicy defaultPolicy() {
        return Policies.create(policyName, policyParameters);
    }

    /** A runner for one task (one thread at a time). */
    public AdaptiveRunner newRunner() {
        return new AdaptiveRunner(session, new DomainAdapter(source), mode);
    }

    /** The per-frame input shape {C, H, W} of the model. */
    public long[] frameShape() {
        return new long[]{3, spec.input().height(), spec.input().width()};
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
