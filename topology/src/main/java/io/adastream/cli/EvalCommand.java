package io.adastream.cli;

import io.adastream.adapt.inference.AdaptationMode;
import io.adastream.adapt.onnx.ModelFormatException;
import io.adastream.adapt.stats.policy.Policies;
import io.adastream.models.eval.Condition;
import io.adastream.models.eval.EvalModel;
import io.adastream.models.eval.EvalOptions;
import io.adastream.models.eval.EvalResults;
import io.adastream.models.eval.Evaluation;
import io.adastream.models.eval.MarkdownReport;
import io.adastream.models.eval.ProgressListener;
import io.adastream.models.eval.StreamKind;
import io.adastream.models.eval.StreamTrace;
import io.adastream.models.eval.TargetChecks;
import io.adastream.models.eval.TraceRecorder;
import io.adastream.models.eval.pictures.ClassPalette;
import io.adastream.models.eval.pictures.ReportPictures;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code adastream eval}: replays the synthetic domain-shift benchmark through the adaptive session with each
 * policy and prints markdown tables (domains x policies, accuracy and ms/frame), fused vs two-pass, and the
 * targets as PASS/MISS. Progress goes to standard error, one line per finished cell.
 */
@Command(name = "eval", description = "Replay the synthetic domain-shift benchmark with each policy and print the "
        + "accuracy tables and the targets as markdown (progress on standard error).")
final class EvalCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ModelSpecOption model;

    @Option(names = "--frames", paramLabel = "N", defaultValue = "200",
            description = "frames per domain, also the cyclic block length (1..1000000)")
    int frames;

    @Option(names = "--batch", paramLabel = "B", split = ",", defaultValue = "1,8",
            description = "batch sizes, comma-separated (1..256)")
    List<Integer> batches;

    @Option(names = "--stream", paramLabel = "KIND", split = ",", defaultValue = "all",
            description = "the stream kinds, comma-separated: single, continual, cyclic, or all")
    List<String> streams;

    @Option(names = "--mode", paramLabel = "fused|two-pass", defaultValue = "fused",
            converter = OptionConverters.Mode.class, description = "the adaptation mode of the main tables")
    AdaptationMode mode;

    @Option(names = "--policies", paramLabel = "P", split = ",", defaultValue = "all",
            converter = OptionConverters.PolicyName.class,
            description = "the policies compared, comma-separated, or all")
    List<String> policies;

    @Option(names = "--cyclic", paramLabel = "COND", split = ",", defaultValue = "clean,fog-5",
            converter = OptionConverters.ShiftCondition.class,
            description = "the two conditions the cyclic stream alternates, e.g. clean,fog-5")
    List<Condition> cyclic;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "20240917", description = "the seed of the scenes")
    long seed;

    @Option(names = "--threads", paramLabel = "T", defaultValue = "1", description = "ONNX Runtime intra-op threads (1..64)")
    int threads;

    @Option(names = "--two-tier", description = "instead of the policy tables: every single-domain and the continual "
            + "stream with the two-tier path off and on (batch 1), the accuracy difference and the shift detection delay")
    boolean twoTier;

    @Option(names = "--two-tier-k-max", paramLabel = "K", defaultValue = "32",
            description = "the two-tier path's longest adaptive interval (with --two-tier)")
    int twoTierKMax;

    @Option(names = "--out", paramLabel = "FILE.md", description = "also write the report to this file, with"
            + " pictures next to it (FILE-<stream>-accuracy.png, and FILE-<stream>-frames.png for a segmenter)")
    Path out;

    @Option(names = "--plot-window", paramLabel = "N", defaultValue = "" + TraceRecorder.DEFAULT_WINDOW,
            description = "frames of the sliding window of the accuracy plots (1..100000)")
    int plotWindow;

    private final CommandContext context;

    EvalCommand(CommandContext context) {
        this.context = context;
    }

    /** The evaluation these options ask for. */
    EvalOptions options() throws UsageException {
        Ranges.check("--frames", frames, 1, 1_000_000);
        Ranges.check("--threads", threads, 1, 64);
        Ranges.check("--plot-window", plotWindow, 1, 100_000);
        for (int b : batches) {
            Ranges.check("--batch", b, 1, 256);
        }
        if (cyclic.size() != 2) {
            throw new UsageException("--cyclic expects two conditions like clean,fog-5");
        }
        EvalOptions defaults = EvalOptions.defaults();
        try {
            return defaults.withFrames(frames).withBatches(batches).withStreams(streamKinds()).withMode(mode)
                    .withPolicies(policies.contains("all") ? Policies.NAMES : policies).withSeed(seed).withThreads(threads)
                    .withCyclic(cyclic.get(0), cyclic.get(1), defaults.cycles(), defaults.probeFrames(), defaults.probeEvery());
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage(), e);
        }
    }

    private Set<StreamKind> streamKinds() throws UsageException {
        Set<StreamKind> set = EnumSet.noneOf(StreamKind.class);
        for (String s : streams) {
            if (s.equals("all")) {
                set.addAll(EnumSet.allOf(StreamKind.class));
                continue;
            }
            try {
                set.add(StreamKind.valueOf(s.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--stream must be single, continual, cyclic or all, got " + s);
            }
        }
        return set;
    }

    @Override
    public Integer call() throws Exception {
        EvalOptions options = options();
        PrintStream progress = context.err();
        ModelSpecOption.Loaded loaded = model.load();
        EvalResults results;
        List<StreamTrace> traces;
        try (EvalModel evalModel = EvalModel.open(loaded.spec(), loaded.onnx(), options.threads())) {
            progress.printf(Locale.ROOT, "adastream eval: %s (%s), %d adaptive layers, %d frames per domain, batch %s, streams %s%n",
                    loaded.spec().name(), loaded.spec().task(), evalModel.adaptive().layerCount(), options.frames(),
                    options.batches(), options.streams());
            String metric = loaded.spec().isSegmentation() ? "mIoU" : "mAP@0.5";
            if (twoTier) {
                io.adastream.adapt.twotier.TierSettings tiers;
                try {
                    tiers = io.adastream.adapt.twotier.TierSettings.defaults().withKMax(twoTierKMax);
                } catch (IllegalArgumentException e) {
                    throw new UsageException("--two-tier-k-max: " + e.getMessage(), e);
                }
                String table = io.adastream.models.eval.TwoTierComparison.run(evalModel, options, tiers, progress);
                context.out().print(table);
                context.out().flush();
                if (out != null) {
                    Files.writeString(out, table, StandardCharsets.UTF_8);
                }
                return AdaStreamCli.OK;
            }
            Evaluation evaluation = new Evaluation(evalModel, options, ProgressListener.lines(progress, metric));
            if (out != null) {
                evaluation.recordTraces(plotWindow, TraceRecorder.DEFAULT_SAMPLES);
            }
            results = evaluation.run();
            traces = evaluation.traces();
        } catch (ModelFormatException e) {
            throw new UsageException(model.name() + ": " + e.getMessage(), e);
        }
        String report = MarkdownReport.render(results, "adastream eval " + String.join(" ", arguments()));
        if (out != null) {
            report += pictures(loaded, results, traces);
        }
        context.out().print(report);
        context.out().flush();
        if (out != null) {
            try {
                Files.writeString(out, report, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UsageException(out + ": cannot write: " + e.getMessage(), e);
            }
        }
        long missed = TargetChecks.check(results).stream().filter(t -> Boolean.FALSE.equals(t.met())).count();
        progress.printf(Locale.ROOT, "adastream eval: done in %.0f s; %d target check(s) missed%n", results.seconds(), missed);
        return AdaStreamCli.OK;
    }

    /** Writes the pictures next to the report file and returns the report's section that shows them. */
    private String pictures(ModelSpecOption.Loaded loaded, EvalResults results, List<StreamTrace> traces)
            throws UsageException {
        try {
            ClassPalette palette = ClassPalette.forSpec(model.specFile(), loaded.spec().classes().size());
            List<ReportPictures.Picture> written = ReportPictures.write(out, results, traces, palette,
                    loaded.spec().classes());
            return "\n" + ReportPictures.markdown(results, traces, written);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage(), e);
        } catch (IOException e) {
            throw new UsageException(out + ": cannot write the pictures next to it: " + e.getMessage(), e);
        }
    }

    /** The arguments of this command as typed, without the command's name. */
    private List<String> arguments() {
        List<String> all = spec.commandLine().getParseResult().originalArgs();
        int at = all.indexOf(spec.name());
        return at >= 0 ? all.subList(at + 1, all.size()) : all;
    }
}
