package io.adastream.topology;

import ai.onnxruntime.OrtException;
import io.adastream.adapt.inference.AdaptationMode;
import io.adastream.adapt.inference.BatchingExecutor;
import io.adastream.adapt.onnx.BatchDimension;
import io.adastream.adapt.session.BatchCheck;
import io.adastream.topology.config.Keys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.adastream.adapt.onnx.AdaptiveGraphRewriter;
import io.adastream.adapt.onnx.AdaptiveModel;
import io.adastream.adapt.onnx.ModelFormatException;
import io.adastream.adapt.onnx.OnnxModel;
import io.adastream.adapt.session.AdaptiveSession;
import io.adastream.adapt.session.SessionConfig;
import io.adastream.adapt.stats.SourceStatistics;
import io.adastream.adapt.stats.policy.AdaptationPolicy;
import io.adastream.adapt.stats.policy.Policies;
import io.adastream.models.spec.ModelSpec;
import io.adastream.models.task.OutputCheck;

import java.time.Duration;
import java.util.Map;

/**
 * One model as the service runs it: its spec, the original and adaptive graphs, the shared ONNX Runtime session,
 * the source statistics and the default policy. Created once per process; tasks get their own runners from it.
 */
public final class ModelRuntime implements AutoCloseable {

    private final ModelSpec spec;
    private final OnnxModel original;
    private static final Logger LOG = LoggerFactory.getLogger(ModelRuntime.class);

    private final AdaptiveModel adaptive;
    private final AdaptiveSession session;
    private final Batching batching;
    private final BatchingExecutor executor;
    private final String batchingNote;
    private final SourceStatistics source;
    private final String policyName;
    private final Map<String, String> policyParameters;
    private final AdaptationMode mode;
    private final SessionConfig sessionConfig;

    /**
     * How the instance batches inference: frames of all its stream threads in batches of up to {@code max}
     * frames, waiting at most {@code maxWait} for more; {@code max = 1} runs every frame in its own thread, alone.
     */
    public record Batching(int max, Duration maxWait) {
        public static final Batching NONE = new Batching(1, Duration.ZERO);

        public Batching {
            if (max < 1 || maxWait.isNegative()) {
                throw new IllegalArgumentException("a batch holds at least 1 frame and waits no negative time, got "
                        + max + " and " + maxWait);
            }
        }
    }

    /** A runtime that runs every frame alone, in the calling thread (no batching). */
    public ModelRuntime(ModelSpec spec, byte[] onnx, SessionConfig sessionConfig, String policyName,
                        Map<String, String> policyParameters, AdaptationMode mode) throws ModelFormatException, OrtException {
        this(spec, onnx, sessionConfig, policyName, policyParameters, mode, Batching.NONE);
    }

    /**
     * A runtime that batches inference as {@code batching} says. With batches of more than one frame, a graph that
     * fixes its batch dimension to 1 is freed first ({@link BatchDimension}) and the adaptive session must pass
     * {@link BatchCheck}; a model that does not runs at batch 1, which is logged once here.
     */
    public ModelRuntime(ModelSpec spec, byte[] onnx, SessionConfig sessionConfig, String policyName,
                        Map<String, String> policyParameters, AdaptationMode mode, Batching batching)
            throws ModelFormatException, OrtException {
        this.spec = spec;
        this.original = OnnxModel.parse(onnx);
        OnnxModel served = original;
        BatchDimension.Freed freed = null;
        if (batching.max() > 1) {
            freed = BatchDimension.free(original);
            served = freed.model();
        }
        AdaptiveModel rewritten = AdaptiveGraphRewriter.rewrite(served, sessionConfig.secondMoment());
        if (!rewritten.modelInputs().contains(spec.input().name())) {
            throw new ModelFormatException(ModelFormatException.Reason.UNSUPPORTED, "the model has no input '"
                    + spec.input().name() + "' named in its spec; inputs: " + rewritten.modelInputs());
        }
        for (String output : spec.output().tensorNames(spec.task())) {
            if (!rewritten.modelOutputs().contains(output)) {
                throw new ModelFormatException(ModelFormatException.Reason.UNSUPPORTED, "the model has no output '"
                        + output + "' named in its spec; outputs: " + rewritten.modelOutputs());
            }
        }
        this.source = SourceStatistics.of(rewritten);
        this.policyName = policyName;
        this.policyParameters = Map.copyOf(policyParameters);
        Policies.create(policyName, policyParameters); // fail at start on a bad policy
        this.mode = mode;
        AdaptiveSession opened = AdaptiveSession.open(rewritten, sessionConfig);
        AdaptiveSession toCheck = opened;
        try {
            OutputCheck.check(spec, name -> new OutputCheck.Declared(toCheck.outputElementType(name),
                    toCheck.outputShape(name)));
        } catch (IllegalArgumentException e) {
            opened.close();
            throw new ModelFormatException(ModelFormatException.Reason.UNSUPPORTED, e.getMessage());
        }
        String note = "";
        if (batching.max() > 1) {
            BatchCheck.Result verdict = BatchCheck.run(opened, Map.of());
            if (!verdict.batchable()) {
                note = "model '" + spec.name() + "' runs at batch 1 (" + Keys.INFERENCE_BATCH_MAX + "=" + batching.max()
                        + " is not used): " + verdict.reason() + (freed.changed()
                        ? " (its graph fixed the batch dimension to 1: " + freed.summary() + ")" : "");
                LOG.warn(note);
                batching = Batching.NONE;
                if (freed.changed()) {
                    opened.close();
                    rewritten = AdaptiveGraphRewriter.rewrite(original, sessionConfig.secondMoment());
                    opened = AdaptiveSession.open(rewritten, sessionConfig);
                }
            } else if (freed.changed()) {
                note = "model '" + spec.name() + "' fixed its batch dimension to 1 (" + freed.summary()
                        + "); made symbolic, a batch of 2 checked against two runs of 1";
                LOG.info(note);
            }
        }
        this.batchingNote = note;
        this.adaptive = rewritten;
        this.session = opened;
        this.sessionConfig = sessionConfig;
        this.batching = batching;
        this.executor = batching.max() > 1 ? new BatchingExecutor(opened, batching.max(), batching.maxWait(), Map.of()) : null;
        if (executor != null) {
            LOG.info("inference: the frames of all stream threads in batches of up to {} frames, waiting at most {} ms",
                    batching.max(), batching.maxWait().toMillis());
        }
    }

    /** The batching in effect: the configured one, or none where the model cannot run batches. */
    public Batching batching() {
        return batching;
    }

    /** What the start said about the model's batch dimension (logged once): freed, or running at batch 1 and why; empty otherwise. */
    public String batchingNote() {
        return batchingNote;
    }

    /** How a task's passes run: a caller of the instance's batching executor (close it with the task), or null to run them directly. */
    public BatchingExecutor.Caller openBatchCaller() {
        return executor == null ? null : executor.open();
    }

    /** "{1=120, 2=340}": batches by their number of frames, sizes that never ran left out. */
    static String describeBatches(long[] counts) {
        StringBuilder b = new StringBuilder("{");
        for (int k = 1; k < counts.length; k++) {
            if (counts[k] > 0) {
                b.append(b.length() > 1 ? ", " : "").append(k).append('=').append(counts[k]);
            }
        }
        return b.append('}').toString();
    }

    /** Batches run so far by their number of frames (element k counts batches of k frames); empty without batching. */
    public long[] batchSizeCounts() {
        return executor == null ? new long[0] : executor.batchSizeCounts();
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

    /** The per-frame input shape {C, H, W} of the model. */
    public long[] frameShape() {
        return new long[]{3, spec.input().height(), spec.input().width()};
    }

    @Override
    public void close() throws OrtException {
        if (executor != null) {
            executor.close();
            LOG.info("inference: batches run by frames per batch {}", describeBatches(executor.batchSizeCounts()));
        }
        session.close();
    }
}
