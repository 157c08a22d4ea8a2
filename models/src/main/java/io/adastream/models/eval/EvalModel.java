package io.adastream.models.eval;

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
import io.adastream.models.spec.ModelSpec;

/**
 * A model opened for evaluation: its spec, the rewritten adaptive graph, one ONNX Runtime session and the source
 * statistics. Runners for any policy and mode come from it.
 */
public final class EvalModel implements AutoCloseable {

    private final ModelSpec spec;
    private final AdaptiveModel adaptive;
    private final AdaptiveSession session;
    private final SourceStatistics source;
    private final OnnxModel original;
    private final int threads;

    private EvalModel(ModelSpec spec, OnnxModel original, AdaptiveModel adaptive, AdaptiveSession session, int threads) {
        this.spec = spec;
        this.original = original;
        this.threads = threads;
        this.adaptive = adaptive;
        this.session = session;
        this.source = SourceStatistics.of(adaptive);
    }

    /** Rewrites and opens a model; the spec's input and output must name tensors of the graph. */
    public static EvalModel open(ModelSpec spec, byte[] onnx, int threads) throws ModelFormatException, OrtException {
        OnnxModel original = OnnxModel.parse(onnx);
        AdaptiveModel adaptive = AdaptiveGraphRewriter.rewrite(original);
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
        return new EvalModel(spec, original, adaptive,
                AdaptiveSession.open(adaptive, SessionConfig.cpu().withIntraOpThreads(threads)), threads);
    }

    public ModelSpec spec() {
        return spec;
    }

    public AdaptiveModel adaptive() {
        return adaptive;
    }

    public SourceStatistics source() {
        return source;
    }

    /** The model as given (what the two-tier path bakes statistics into). */
    public OnnxModel original() {
        return original;
    }

    /** The settings the sessions of this evaluation run with. */
    public SessionConfig sessionConfig() {
        return SessionConfig.cpu().withIntraOpThreads(threads);
    }

    /** A runner with its own adapter and workspaces; close it after use. */
    public AdaptiveRunner newRunner(AdaptationMode mode) {
        return new AdaptiveRunner(session, new DomainAdapter(source), mode);
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
