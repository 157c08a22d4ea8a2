package io.adastream.models.eval;

import ai.onnxruntime.OrtException;
import io.adastream.adapt.stats.policy.Policies;
import io.adastream.adapt.twotier.TierSettings;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the two-tier path costs, by {@link TwoTierReplay} with the path off and on over the same streams: per
 * single-domain stream (stationary: one condition from source statistics) and the continual stream, the accuracy
 * either way and its difference in points, the share of frames served baked, and on the continual stream the
 * detection delay of each change of condition. A markdown table; the worst stationary accuracy cost is checked
 * against {@value #TARGET_POINTS} points.
 */
public final class TwoTierComparison {

    /** The largest accuracy cost on a stationary stream the two-tier path may have, in points (0..100). */
    public static final double TARGET_POINTS = 0.3;

    private TwoTierComparison() {
    }

    /** Runs the comparison for every policy of the options; progress lines go to {@code progress}. */
    public static String run(EvalModel model, EvalOptions options, TierSettings settings, PrintStream progress)
            throws OrtException {
        TwoTierReplay replay = new TwoTierReplay(model);
        EvalStreams streams = new EvalStreams(options.seed(), model.spec().input().width(), model.spec().input().height());
        List<EvalStream> list = new ArrayList<>();
        if (options.streams().contains(StreamKind.SINGLE)) {
            var scenes = streams.singleDomainScenes(options.frames());
            for (Condition c : options.singleConditions()) {
                list.add(streams.singleDomain(scenes, c));
            }
        }
        if (options.streams().contains(StreamKind.CONTINUAL)) {
            list.add(streams.continual(options.continualOrder(), options.frames()));
        }
        String metric = AccuracyMeter.forSpec(model.spec()).metric();
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Two-tier path (K_max %d, stable weight %s, re-bake distance %s) against every "
                        + "frame adaptive, batch 1, %d frames per domain, %s in points:%n%n", settings.kMax(),
                settings.stableWeight(), settings.rebakeDistance(), options.frames(), metric));
        out.append("| stream | policy | adaptive | two-tier | difference | frames baked | bakes | shifts confirmed "
                + "(adaptive, two-tier) | mean detection delay, frames (adaptive, two-tier) |\n");
        out.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | --- |\n");
        double worstStationary = 0;
        for (String policy : options.policies()) {
            for (EvalStream stream : list) {
                TwoTierReplay.Result off = replay.run(stream, Policies.create(policy), null);
                TwoTierReplay.Result on = replay.run(stream, Policies.create(policy), settings);
                double a = 100 * mean(off);
                double b = 100 * mean(on);
                boolean stationary = off.delays().isEmpty();
                if (stationary) {
                    worstStationary = Math.max(worstStationary, a - b);
                }
                String shifts = stationary ? "" : off.confirmed() + " / " + off.delays().size() + ", "
                        + on.confirmed() + " / " + on.delays().size();
                String delay = stationary ? "" : String.format(Locale.ROOT, "%.1f, %.1f", off.meanDelay(), on.meanDelay());
                out.append(String.format(Locale.ROOT, "| %s | %s | %.2f | %.2f | %+.2f | %.1f%% | %d | %s | %s |%n",
                        label(stream), policy, a, b, b - a, 100.0 * on.baked() / on.frames(), on.bakes(), shifts, delay));
                progress.printf(Locale.ROOT, "two-tier: %s %s: %.2f -> %.2f, %d of %d frames baked%n", label(stream),
                        policy, a, b, on.baked(), on.frames());
            }
        }
        out.append(String.format(Locale.ROOT, "%nLargest accuracy cost on a stationary stream: %.2f points (target <= %.1f: %s).%n",
                worstStationary, TARGET_POINTS, worstStationary <= TARGET_POINTS ? "met" : "missed"));
        return out.toString();
    }

    /** A single-condition stream by its condition ("single fog-3"), the others by their name. */
    static String label(EvalStream stream) {
        return stream.blocks().size() == 1 ? stream.name() + " " + stream.blocks().get(0).row() : stream.name();
    }

    /** The mean of the rows' accuracies (a single-domain stream has one row; the continual one, one per condition). */
    private static double mean(TwoTierReplay.Result r) {
        return r.accuracy().values().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }
}
