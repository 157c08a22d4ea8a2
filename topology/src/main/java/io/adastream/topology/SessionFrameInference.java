package io.adastream.topology;

import ai.onnxruntime.OrtException;
import io.adastream.adapt.inference.AdaptationMode;
import io.adastream.adapt.inference.AdaptiveRunner;
import io.adastream.adapt.inference.BatchingExecutor;
import io.adastream.adapt.inference.PassRunner;
import io.adastream.adapt.onnx.BatchNormLayer;
import io.adastream.adapt.session.Workspace;
import io.adastream.adapt.stats.DomainAdapter;
import io.adastream.adapt.stats.DomainState;
import io.adastream.adapt.stats.FrameOutcome;
import io.adastream.adapt.twotier.InferencePath;
import io.adastream.adapt.twotier.TwoTierPath;
import io.adastream.models.task.LetterboxTransform;
import io.adastream.models.task.TaskAdapter;
import io.adastream.models.task.TaskResult;
import io.adastream.models.task.WorkspaceOutputs;

import java.nio.FloatBuffer;
import java.util.List;

/**
 * {@link FrameInference} one frame per call: the task's {@link AdaptiveRunner} on a one-frame workspace (reused for
 * every frame), then, with the shadow source run on, a second run of the same input with the source statistics and
 * no blending. With the runtime's batching on, each run goes through the instance's batching executor, inside a
 * batch with other stream threads' frames; the call still returns only with this frame's results, and
 * pre-processing, the fold and decoding stay in the task's thread. With the two-tier path, a frame its rule routes
 * baked runs on its domain's baked session over the same workspace instead, outside any batch. A frame whose
 * outputs the task's decoder refuses comes back {@link FrameOutcome#REJECTED_OUTPUT} with its state as before: fused,
 * it is decoded before its fold; two-pass (predicted after the fold), the state is restored from a per-task copy
 * taken before the run.
 */
public final class SessionFrameInference implements FrameInference {

    private final ModelRuntime runtime;
    private final AdaptiveRunner runner;
    private final TaskAdapter task;
    private final boolean shadowSource;
    private final BatchingExecutor.Caller batchCaller;
    private final PassRunner pass;
    private final Workspace workspace;
    private final WorkspaceOutputs outputs;
    private final FloatBuffer input;
    private final DomainState[] batch = new DomainState[1];
    private final FrameOutcome[] outcomes = new FrameOutcome[1];
    /** Decodes the frame before its fold (fused mode) or right after the prediction pass (two-pass). */
    private final AdaptiveRunner.FrameCheck decodeCheck = this::decode;
    /** Two-pass mode: the domain's state before the frame, restored if its prediction cannot be decoded. */
    private final DomainState before;
    private LetterboxTransform pendingTransform;
    private TaskResult decoded;
    private String decodeError;
    /** The two-tier path, or null while it is off. */
    private final TwoTierPath twoTier;

    /** @param adapter folds the frames' moments; the same adapter the caller applies control commands with */
    public SessionFrameInference(ModelRuntime runtime, DomainAdapter adapter, boolean shadowSource) {
        this(runtime, adapter, shadowSource, null);
    }

    /** @param twoTier the two-tier path (closed with this), or null for every frame on the adaptive graph */
    public SessionFrameInference(ModelRuntime runtime, DomainAdapter adapter, boolean shadowSource, TwoTierPath twoTier) {
        this.twoTier = twoTier;
        this.runtime = runtime;
        this.batchCaller = runtime.openBatchCaller();
        this.pass = batchCaller == null ? PassRunner.DIRECT : batchCaller;
        this.runner = new AdaptiveRunner(runtime.session(), adapter, runtime.mode(), pass);
        this.task = TaskAdapter.forSpec(runtime.spec());
        this.shadowSource = shadowSource;
        this.before = runtime.mode() == AdaptationMode.TWO_PASS ? adapter.newDomain(runtime.defaultPolicy()) : null;
        try {
            this.workspace = runner.workspace(1);
        } catch (OrtException e) {
            close();
            throw new IllegalStateException("cannot allocate the inference workspace: " + e.getMessage(), e);
        }
        this.outputs = new WorkspaceOutputs(workspace);
        this.input = workspace.input(runtime.spec().input().name());
    }

    @Override
    public Result infer(Request request) {
        long t0 = System.nanoTime();
        LetterboxTransform transform = request.tensor() != null
                ? task.copyTensor(request.tensor(), input, 0)
                : task.preprocess(request.image(), input, 0);
        long t1 = System.nanoTime();
        boolean twoTierOn = twoTier != null && request.tier() != null;
        if (twoTierOn && twoTier.next(request.state(), request.tier()) == InferencePath.BAKED) {
            return inferBaked(request, transform, t1 - t0);
        }
        batch[0] = request.state();
        boolean twoPass = runner.mode() == AdaptationMode.TWO_PASS;
        try {
            if (twoPass) {
                before.copyFrom(request.state());
            }
            pendingTransform = transform;
            decoded = null;
            decodeError = null;
            runner.run(workspace, batch, outcomes, twoPass ? null : decodeCheck);
            boolean nonFinite = outcomes[0] == FrameOutcome.REJECTED_NON_FINITE;
            if (outcomes[0] == FrameOutcome.REJECTED_OUTPUT) {
                return rejected(outcomes[0], t0, t1);
            }
            if (twoPass && !nonFinite && !decodeCheck.accept(0)) {
                request.state().copyFrom(before);
                return rejected(FrameOutcome.REJECTED_OUTPUT, t0, t1);
            }
            if (twoTierOn) {
                twoTier.afterAdaptive(request.state(), request.tier(), outcomes[0]);
            }
            if (nonFinite) {
                return rejected(outcomes[0], t0, t1);
            }
            TaskResult result = decoded;
            TaskResult source = shadowSource ? runSource(transform) : null;
            return new Result(outcomes[0], runner.mode(), result, source, runner.score(0),
                    runner.adapter().lastWeight(), t1 - t0, System.nanoTime() - t1, runner.lastAdaptNanos());
        } catch (OrtException e) {
            throw new IllegalStateException("inference failed: " + e.getMessage(), e);
        } finally {
            batch[0] = null;
            pendingTransform = null;
            decoded = null;
        }
    }

    /** Decodes frame {@code frame} of the workspace into {@link #decoded}, or keeps the decoder's message and refuses it. */
    private boolean decode(int frame) {
        try {
            decoded = task.decode(outputs, frame, pendingTransform);
            return true;
        } catch (IllegalArgumentException e) {
            decodeError = e.getMessage();
            return false;
        }
    }

    private Result rejected(FrameOutcome outcome, long t0, long t1) {
        boolean undecodable = outcome == FrameOutcome.REJECTED_OUTPUT;
        return new Result(outcome, runner.mode(), null, null, undecodable ? Double.NaN : runner.score(0), Double.NaN,
                t1 - t0, System.nanoTime() - t1, runner.lastAdaptNanos(), undecodable ? decodeError : null);
    }

    private Result inferBaked(Request request, LetterboxTransform transform, long preprocessNanos) {
        long t1 = System.nanoTime();
        try {
            twoTier.runBaked(workspace, request.tier());
            TaskResult result;
            try {
                result = task.decode(outputs, 0, transform);
            } catch (IllegalArgumentException e) {
                return new Result(FrameOutcome.REJECTED_OUTPUT, runner.mode(), null, null, Double.NaN, 0.0,
                        preprocessNanos, System.nanoTime() - t1, 0, e.getMessage());
            }
            runner.adapter().observeBaked(request.state());
            TaskResult source = shadowSource ? runSource(transform) : null;
            return new Result(FrameOutcome.BAKED, runner.mode(), result, source, Double.NaN, 0.0, preprocessNanos,
                    System.nanoTime() - t1, 0);
        } catch (OrtException e) {
            throw new IllegalStateException("inference failed: " + e.getMessage(), e);
        }
    }

    private TaskResult runSource(LetterboxTransform transform) throws OrtException {
        List<BatchNormLayer> layers = runtime.adaptive().layers();
        for (BatchNormLayer l : layers) {
            workspace.setStatistics(0, l.index(), l.sourceMean(), l.sourceVar());
            workspace.setBlend(0, l.index(), 0f);
        }
        pass.run(workspace);
        return task.decode(outputs, 0, transform);
    }

    @Override
    public void close() {
        if (batchCaller != null) {
            batchCaller.close();
        }
        runner.close();
        if (twoTier != null) {
            try {
                twoTier.close();
            } catch (OrtException e) {
                throw new IllegalStateException("cannot close the baked sessions: " + e.getMessage(), e);
            }
        }
    }
}
