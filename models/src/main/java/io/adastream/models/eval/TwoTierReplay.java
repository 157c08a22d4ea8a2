package io.adastream.models.eval;

import ai.onnxruntime.OrtException;
import io.adastream.adapt.inference.AdaptationMode;
import io.adastream.adapt.inference.AdaptiveRunner;
import io.adastream.adapt.session.Workspace;
import io.adastream.adapt.stats.DomainState;
import io.adastream.adapt.stats.FrameOutcome;
import io.adastream.adapt.stats.policy.AdaptationPolicy;
import io.adastream.adapt.twotier.BakedSessionCache;
import io.adastream.adapt.twotier.InferencePath;
import io.adastream.adapt.twotier.TierRule;
import io.adastream.adapt.twotier.TierSettings;
import io.adastream.adapt.twotier.TierState;
import io.adastream.adapt.twotier.TwoTierPath;
import io.adastream.models.spec.ModelSpec;
import io.adastream.models.task.LetterboxTransform;
import io.adastream.models.task.TaskAdapter;
import io.adastream.models.task.TensorNormalizer;
import io.adastream.models.task.WorkspaceOutputs;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Replays a stream as one domain with the two-tier path on or off, frame by frame as the service does, and scores
 * every prediction online: the accuracy per row, the frames served baked, and per change of condition in the stream
 * the frames from its first frame to the confirmed shift (the detection delay). Off, every frame runs on the adaptive
 * graph exactly as {@link StreamReplay} at batch 1 does, so the two runs differ by the two-tier path alone.
 */
public final class TwoTierReplay {

    /** One replay: accuracy per row, frames baked, the detection delay of each change (-1: not confirmed in the block). */
    public record Result(String stream, boolean twoTier, Map<String, Double> accuracy, long frames, long baked,
                         long bakes, List<Integer> delays) {

        /** The mean delay over the changes that were confirmed, NaN if none was. */
        public double meanDelay() {
            return delays.stream().filter(d -> d >= 0).mapToInt(Integer::intValue).average().orElse(Double.NaN);
        }

        public long confirmed() {
            return delays.stream().filter(d -> d >= 0).count();
        }
    }

    private final EvalModel model;
    private final ModelSpec spec;
    private final TaskAdapter task;
    private final TensorNormalizer normalizer;
    private final LetterboxTransform identity;

    public TwoTierReplay(EvalModel model) {
        this.model = model;
        this.spec = model.spec();
        this.task = TaskAdapter.forSpec(spec);
        this.normalizer = TensorNormalizer.forInput(spec.input());
        int w = spec.input().width();
        int h = spec.input().height();
        this.identity = LetterboxTransform.stretch(w, h, w, h);
    }

    /** Replays the stream from source statistics under {@code policy}; {@code settings} null keeps the path off. */
    public Result run(EvalStream stream, AdaptationPolicy policy, TierSettings settings) throws OrtException {
        Map<String, AccuracyMeter> meters = new LinkedHashMap<>();
        for (String row : stream.rows()) {
            meters.put(row, AccuracyMeter.forSpec(spec));
        }
        List<Integer> delays = new ArrayList<>();
        long frames = 0;
        long baked = 0;
        try (AdaptiveRunner runner = model.newRunner(AdaptationMode.FUSED);
             TwoTierPath path = settings == null ? null : new TwoTierPath(
                     new TierRule(settings, runner.adapter().detectorSettings()),
                     new BakedSessionCache(model.original(), model.adaptive().layers(), model.sessionConfig(), 4))) {
            DomainState state = runner.adapter().newDomain(policy);
            TierState tier = new TierState();
            DomainState[] states = {state};
            FrameOutcome[] outcomes = new FrameOutcome[1];
            Workspace ws = runner.workspace(1);
            FloatBuffer input = ws.input(spec.input().name());
            WorkspaceOutputs out = new WorkspaceOutputs(ws);
            Condition previous = null;
            for (EvalStream.Block block : stream.blocks()) {
                boolean change = previous != null && !previous.equals(block.condition());
                previous = block.condition();
                int delay = -1;
                int index = 0;
                AccuracyMeter meter = meters.get(block.row());
                for (EvalFrame frame : block.frames()) {
                    normalizer.packedRgbToNchw(frame.packedRgb(), frame.width(), frame.height(), input, 0);
                    if (path != null && path.next(state, tier) == InferencePath.BAKED) {
                        path.runBaked(ws, tier);
                        runner.adapter().observeBaked(state);
                        baked++;
                    } else {
                        runner.run(ws, states, outcomes);
                        if (path != null) {
                            path.afterAdaptive(state, tier, outcomes[0]);
                        }
                        if (change && delay < 0 && outcomes[0] == FrameOutcome.SHIFT_CONFIRMED) {
                            delay = index;
                        }
                    }
                    meter.add(frame, task.decode(out, 0, identity));
                    frames++;
                    index++;
                }
                if (change) {
                    delays.add(delay);
                }
            }
            Map<String, Double> accuracy = new LinkedHashMap<>();
            meters.forEach((row, m) -> accuracy.put(row, m.value()));
            return new Result(stream.name(), path != null, accuracy, frames, baked, tier.bakes(), delays);
        }
    }
}
