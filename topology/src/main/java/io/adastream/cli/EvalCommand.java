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
import io.adastream.models.eval.TargetChecks;
import io.adastream.models.spec.BundledModels;
import io.adastream.models.spec.ModelSpec;
import io.adastream.models.spec.ModelSpecException;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code adastream eval}: replays the synthetic domain-shift benchmark through the adaptive session with each
 * policy and prints markdown tables (domains x policies, accuracy and ms/frame), fused vs two-pass, and the issue's
 * targets as PASS/MISS. Progress goes to standard error, one line per finished cell.
 */
final class EvalCommand implements AdaStreamCli.Command {

    private final PrintStream progress;

    EvalCommand() {
        this(System.err);
    }

    EvalCommand(PrintStream progress) {
        this.progress = progress;
    }

    @Override
    public String usage() {
        return "eval --model segmenter|detector|SPEC.json [--frames N] [--batch 1|8|1,8] [--stream single|continual|cyclic|all]\n"
                + "       [--mode fused|two-pass] [--policies P,...] [--cyclic A,B] [--seed S] [--threads T] [--out FILE.md]\n"
                + "                                replay the synthetic benchmark with each policy; print accuracy tables and targets";
    }

    @Override
    public int run(String[] args, PrintStream out) throws Exception {
        Options o = Options.parse(args);
        ModelSpec spec;
        byte[] onnx;
        try {
            if (o.model.equals(BundledModels.SEGMENTER) || o.model.equals(BundledModels.DETECTOR)) {
                if (!BundledModels.available(o.model)) {
                    throw new UsageException("no bundled model '" + o.model + "' in this build");
                }
                spec = BundledModels.spec(o.model);
                onnx = BundledModels.onnx(o.model);
            } else {
                Path file = Path.of(o.model);
                spec = ModelSpec.load(file);
                onnx = Files.readAllBytes(spec.modelPath(file));
            }
        } catch (ModelSpecException e) {
            throw new UsageException(e.getMessage(), e);
        } catch (IOException e) {
            throw new UsageException(o.model + ": cannot read the model: " + e.getMessage(), e);
        }
        EvalResults results;
        try (EvalModel model = EvalModel.open(spec, onnx, o.options.threads())) {
            progress.printf(Locale.ROOT, "adastream eval: %s (%s), %d adaptive layers, %d frames per domain, batch %s, streams %s%n",
                    spec.name(), spec.task(), model.adaptive().layerCount(), o.options.frames(), o.options.batches(),
                    o.options.streams());
            String metric = spec.isSegmentation() ? "mIoU" : "mAP@0.5";
            results = new Evaluation(model, o.options, ProgressListener.lines(progress, metric)).run();
        } catch (ModelFormatException e) {
            throw new UsageException(o.model + ": " + e.getMessage(), e);
        }
        String report = MarkdownReport.render(results, "adastream eval " + String.join(" ", args));
        out.print(report);
        out.flush();
        if (o.out != null) {
            try {
                Files.writeString(Path.of(o.out), report, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UsageException(o.out + ": cannot write: " + e.getMessage(), e);
            }
        }
        long missed = TargetChecks.check(results).stream().filter(t -> Boolean.FALSE.equals(t.met())).count();
        progress.printf(Locale.ROOT, "adastream eval: done in %.0f s; %d target check(s) missed%n", results.seconds(), missed);
        return AdaStreamCli.OK;
    }

    /** Parsed arguments of {@code eval}. */
    private record Options(String model, String out, EvalOptions options) {
        static Options parse(String[] args) throws UsageException {
            String model = null;
            String out = null;
            EvalOptions o = EvalOptions.defaults();
            try {
                for (int i = 0; i < args.length; i++) {
                    String a = args[i];
                    if (!a.startsWith("--")) {
                        throw new UsageException("unexpected argument '" + a + "'");
                    }
                    if (i + 1 >= args.length) {
                        throw new UsageException(a + " needs a value");
                    }
                    String v = args[++i];
                    switch (a) {
                        case "--model" -> model = v;
                        case "--out" -> out = v;
                        case "--frames" -> o = o.withFrames(number(a, v, 1, 1_000_000));
                        case "--batch" -> o = o.withBatches(batches(v));
                        case "--stream" -> o = o.withStreams(streams(v));
                        case "--mode" -> o = o.withMode(mode(v));
                        case "--policies" -> o = o.withPolicies(policies(v));
                        case "--seed" -> o = o.withSeed(seed(v));
                        case "--threads" -> o = o.withThreads(number(a, v, 1, 64));
                        case "--cyclic" -> {
                            String[] pair = v.split(",");
                            if (pair.length != 2) {
                                throw new UsageException("--cyclic expects two conditions like clean,fog-5");
                            }
                            o = o.withCyclic(Condition.parse(pair[0]), Condition.parse(pair[1]), o.cycles(),
                                    o.probeFrames(), o.probeEvery());
                        }
                        default -> throw new UsageException("unknown option " + a);
                    }
                }
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage(), e);
            }
            if (model == null) {
                throw new UsageException("--model is required: segmenter, detector or a model spec JSON file");
            }
            return new Options(model, out, o);
        }

        private static List<Integer> batches(String v) throws UsageException {
            List<Integer> list = new ArrayList<>();
            for (String s : v.split(",")) {
                list.add(number("--batch", s.trim(), 1, 256));
            }
            return list;
        }

        private static Set<StreamKind> streams(String v) throws UsageException {
            if (v.equals("all")) {
                return EnumSet.allOf(StreamKind.class);
            }
            Set<StreamKind> set = EnumSet.noneOf(StreamKind.class);
            for (String s : v.split(",")) {
                try {
                    set.add(StreamKind.valueOf(s.trim().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw new UsageException("--stream must be single, continual, cyclic or all, got " + v);
                }
            }
            return set;
        }

        private static AdaptationMode mode(String v) throws UsageException {
            return switch (v) {
                case "fused" -> AdaptationMode.FUSED;
                case "two-pass" -> AdaptationMode.TWO_PASS;
                default -> throw new UsageException("--mode must be fused or two-pass, got " + v);
            };
        }

        private static List<String> policies(String v) throws UsageException {
            List<String> list = Arrays.stream(v.split(",")).map(String::trim).toList();
            for (String p : list) {
                if (!Policies.NAMES.contains(p)) {
                    throw new UsageException("unknown policy '" + p + "'; known: " + String.join(", ", Policies.NAMES));
                }
            }
            return list;
        }

        private static long seed(String v) throws UsageException {
            try {
                return Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw new UsageException("--seed expects an integer, got " + v);
            }
        }

        private static int number(String name, String v, int min, int max) throws UsageException {
            try {
                int n = Integer.parseInt(v);
                if (n < min || n > max) {
                    throw new UsageException(name + " must be in " + min + ".." + max + ", got " + v);
                }
                return n;
            } catch (NumberFormatException e) {
                throw new UsageException(name + " expects a number, got " + v);
            }
        }
    }
}
