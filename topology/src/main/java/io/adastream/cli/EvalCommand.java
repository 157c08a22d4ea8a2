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
 * {@code adastream eval}: replays the synthetic domain-shift benchmark, or with {@code --data} the domains of a
 * labelled folder, through the adaptive session with each policy and prints markdown tables (domains x policies,
 * accuracy and ms/frame), fused vs two-pass, and the targets as PASS/MISS. Progress goes to standard error, one line
 * per finished cell.
 */
@Command(name = "eval", description = "Replay the synthetic domain-shift benchmark, or with --data the domains of a "
        + "labelled folder, with each policy and print the accuracy tables and the targets as markdown (progress on "
        + "standard error).")
final class EvalCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ModelSpecOption model;

    @Option(names = "--frames", paramLabel = "N", defaultValue = "200",
            description = "frames per domain, also the cyclic block length (1..1000000); with --data, the most frames"
                    + " read per domain (all unless given)")
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
            description = "the policies compared, comma-separated, or all; a policy may carry parameters:"
                    + " NAME:KEY=VALUE;KEY=VALUE, e.g. prior-decay:guard=0")
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

    @Option(names = "--data", paramLabel = "DIR", description = "evaluate on the labelled images of this folder and"
            + " its subfolders instead of the synthetic scenes")
    Path data;

    @Option(names = "--layout", paramLabel = "camvid|yolo", description = "how --data pairs images and labels:"
            + " camvid (class-id mask PNG of the same name in the folder's sibling <name>annot, or in --labels) or"
            + " yolo (class cx cy w h text files in labels/); default camvid for a segmenter, yolo for a detector")
    String layout;

    @Option(names = "--labels", paramLabel = "DIR", description = "the labels folder of --data (default: by --layout)")
    Path labels;

    @Option(names = "--domain-by", paramLabel = "prefix|folder", description = "domains by file-name prefix (before"
            + " the first '_') or by folder; default prefix for camvid, folder for yolo")
    String domainBy;

    @Option(names = "--domains", paramLabel = "D", split = ",", description = "the domains of --data evaluated, in"
            + " this order (default: all, by name)")
    List<String> domains;

    @Option(names = "--source-domains", paramLabel = "D", split = ",", description = "domains of --data with no"
            + " shift from the training data (the targets: no policy below source there); the others are shifted")
    List<String> sourceDomains;

    @Option(names = "--corrupt", paramLabel = "C:S", split = ",", converter = OptionConverters.Corrupt.class,
            description = "with --data, corruptions applied on top of the clean frames, e.g. fog:3,low_light:5")
    List<Condition> corrupt;

    @Option(names = "--order", paramLabel = "ORDER", split = ",", defaultValue = "temporal",
            description = "with --data, the frame orders streamed: temporal (file-name order), dominant-class"
                    + " (grouped by each frame's dominant class: a non-i.i.d. stream), comma-separated")
    List<String> orders;

    @Option(names = "--continual", paramLabel = "D", split = ",", description = "with --data, domains streamed one"
            + " after another without reset, e.g. Seq05VD,0001TP,Seq05VD")
    List<String> continual;

    @Option(names = "--mode-policies", paramLabel = "P", split = ",", description = "policies also run in the other"
            + " mode (all, none or names); default prior-decay,adabn,balanced, with --data all")
    List<String> modePolicies;

    @Option(names = "--ignore", paramLabel = "ID", description = "with --data, the mask value not scored (default:"
            + " the spec file's ignoreId, else 255)")
    Integer ignore;

    @Option(names = "--oracle-frames", paramLabel = "N", defaultValue = "0", description = "with --data, the oracle"
            + " estimates each stream's statistics from N evenly spaced frames (0: all; it costs one pass per"
            + " BatchNorm layer over them)")
    int oracleFrames;

    @Option(names = "--window", paramLabel = "N", defaultValue = "20", description = "with --data, frames of the"
            + " rolling accuracy kept per frame in the results (1..100000)")
    int window;

    final CommandContext context;

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
            EvalOptions o = defaults.withFrames(frames).withBatches(batches).withStreams(streamKinds()).withMode(mode)
                    .withPolicies(policies.contains("all") ? Policies.NAMES : policies).withSeed(seed).withThreads(threads)
                    .withCyclic(cyclic.get(0), cyclic.get(1), defaults.cycles(), defaults.probeFrames(), defaults.probeEvery());
            return modePolicies == null ? o : o.withModePolicies(modePolicies(List.of()));
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
        if (data != null) {
            return new LabelledEvalRun(this).call();
        }
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
    String pictures(ModelSpecOption.Loaded loaded, EvalResults results, List<StreamTrace> traces)
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

    /** The --mode-policies names: all, none, or a list; {@code fallback} when not given. */
    List<String> modePolicies(List<String> fallback) throws UsageException {
        if (modePolicies == null) {
            return fallback;
        }
        if (modePolicies.contains("all")) {
            return Policies.NAMES;
        }
        if (modePolicies.contains("none")) {
            return List.of();
        }
        for (String p : modePolicies) {
            if (!Policies.NAMES.contains(p)) {
                throw new UsageException("--mode-policies: unknown policy '" + p + "'; known: " + String.join(", ", Policies.NAMES));
            }
        }
        return modePolicies;
    }

    /** The arguments of this command as typed, without the command's name. */
    List<String> arguments() {
        List<String> all = spec.commandLine().getParseResult().originalArgs();
        int at = all.indexOf(spec.name());
        return at >= 0 ? all.subList(at + 1, all.size()) : all;
    }
}
