package io.adastream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.adastream.adapt.onnx.ModelFormatException;
import io.adastream.adapt.stats.policy.Policies;
import io.adastream.models.data.DomainRule;
import io.adastream.models.data.LabelLayout;
import io.adastream.models.data.LabelledFolder;
import io.adastream.models.data.LabelledFrameReader;
import io.adastream.models.data.LabelledImage;
import io.adastream.models.eval.Condition;
import io.adastream.models.eval.EvalModel;
import io.adastream.models.eval.FrameOrder;
import io.adastream.models.eval.LabelledDomain;
import io.adastream.models.eval.LabelledEvaluation;
import io.adastream.models.eval.LabelledPlan;
import io.adastream.models.eval.LabelledReport;
import io.adastream.models.eval.LabelledResults;
import io.adastream.models.eval.LabelledTargets;
import io.adastream.models.eval.ProgressListener;
import io.adastream.models.eval.StreamTrace;
import io.adastream.models.eval.TraceRecorder;
import io.adastream.models.spec.ModelSpec;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code adastream eval --data DIR}: reads the labelled folder's domains, replays them and prints the report; with
 * {@code --out} also writes the report's pictures next to it, as the synthetic evaluation does.
 */
final class LabelledEvalRun {

    private final EvalCommand c;

    LabelledEvalRun(EvalCommand command) {
        this.c = command;
    }

    int call() throws Exception {
        Ranges.check("--threads", c.threads, 1, 64);
        Ranges.check("--window", c.window, 1, 100_000);
        Ranges.check("--oracle-frames", c.oracleFrames, 0, 1_000_000);
        Ranges.check("--plot-window", c.plotWindow, 1, 100_000);
        for (int b : c.batches) {
            Ranges.check("--batch", b, 1, 256);
        }
        boolean framesGiven = c.spec.commandLine().getParseResult().hasMatchedOption("--frames");
        if (framesGiven) {
            Ranges.check("--frames", c.frames, 1, 1_000_000);
        }
        PrintStream progress = c.context.err();
        ModelSpecOption.Loaded loaded = c.model.load();
        ModelSpec spec = loaded.spec();
        LabelLayout layout;
        DomainRule rule;
        List<FrameOrder> orders = new ArrayList<>();
        try {
            layout = c.layout != null ? LabelLayout.parse(c.layout)
                    : spec.isSegmentation() ? LabelLayout.CAMVID : LabelLayout.YOLO;
            rule = c.domainBy != null ? DomainRule.parse(c.domainBy)
                    : layout == LabelLayout.CAMVID ? DomainRule.PREFIX : DomainRule.FOLDER;
            for (String o : c.orders) {
                FrameOrder order = FrameOrder.parse(o);
                if (!orders.contains(order)) {
                    orders.add(order);
                }
            }
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage(), e);
        }
        if (spec.isSegmentation() != (layout == LabelLayout.CAMVID)) {
            throw new UsageException("--layout " + layout.id() + " does not fit a " + spec.task() + " model (camvid masks"
                    + " for segmentation, yolo boxes for detection)");
        }
        int ignore = c.ignore != null ? c.ignore : specIgnoreId();
        Ranges.check("--ignore", ignore, 0, 255);
        Map<String, List<LabelledImage>> found;
        try {
            found = LabelledFolder.list(c.data, c.labels, layout, rule);
        } catch (IOException | IllegalArgumentException e) {
            throw new UsageException("--data " + c.data + ": " + e.getMessage(), e);
        }
        List<String> wanted = c.domains != null ? c.domains : new ArrayList<>(found.keySet());
        Set<String> needed = new LinkedHashSet<>(wanted);
        for (String d : needed) {
            if (!found.containsKey(d)) {
                throw new UsageException("--domains: no domain '" + d + "' in " + c.data + "; domains: " + found.keySet());
            }
        }
        for (String d : concat(c.continual, c.sourceDomains)) {
            if (!needed.contains(d)) {
                throw new UsageException("domain '" + d + "' is not among the evaluated domains " + needed);
            }
        }
        List<Condition> conditions = new ArrayList<>();
        conditions.add(Condition.CLEAN);
        if (c.corrupt != null) {
            c.corrupt.stream().filter(x -> !conditions.contains(x)).forEach(conditions::add);
        }
        LabelledFrameReader reader = new LabelledFrameReader(spec, ignore);
        List<LabelledDomain> domains = new ArrayList<>();
        long t0 = System.nanoTime();
        for (String d : needed) {
            try {
                domains.add(LabelledDomain.read(d, found.get(d), reader, framesGiven ? c.frames : 0));
            } catch (IOException | IllegalArgumentException e) {
                throw new UsageException(e.getMessage(), e);
            }
            progress.printf(Locale.ROOT, "adastream eval: read %s: %d frames (%.0f s)%n", d,
                    domains.get(domains.size() - 1).frames().size(), (System.nanoTime() - t0) / 1e9);
        }
        List<String> policies = c.policies.contains("all") ? Policies.NAMES : c.policies;
        LabelledPlan plan;
        try {
            plan = new LabelledPlan(c.data.toString(), domains, conditions, orders,
                    c.continual == null ? List.of() : c.continual,
                    c.sourceDomains == null ? Set.of() : Set.copyOf(c.sourceDomains), policies, c.batches, c.mode,
                    c.modePolicies(Policies.NAMES), c.threads, c.seed, c.window, Set.of(), c.oracleFrames);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage(), e);
        }
        LabelledResults results;
        List<StreamTrace> traces;
        try (EvalModel model = EvalModel.open(spec, loaded.onnx(), c.threads)) {
            progress.printf(Locale.ROOT, "adastream eval: %s (%s), %d adaptive layers, data %s (%s), domains %s,"
                            + " conditions %s, orders %s, batch %s%n", spec.name(), spec.task(),
                    model.adaptive().layerCount(), c.data, layout.id(), needed, conditions,
                    orders.stream().map(FrameOrder::id).toList(), c.batches);
            String metric = spec.isSegmentation() ? "mIoU" : "mAP@0.5";
            LabelledEvaluation evaluation = new LabelledEvaluation(model, plan, ProgressListener.lines(progress, metric));
            if (c.out != null) {
                evaluation.recordTraces(c.plotWindow, TraceRecorder.DEFAULT_SAMPLES);
            }
            results = evaluation.run();
            traces = evaluation.traces();
        } catch (ModelFormatException e) {
            throw new UsageException(c.model.name() + ": " + e.getMessage(), e);
        }
        String report = LabelledReport.render(results, "adastream eval " + String.join(" ", c.arguments()));
        if (c.out != null) {
            report += c.pictures(loaded, results.results(), traces);
        }
        c.context.out().print(report);
        c.context.out().flush();
        if (c.out != null) {
            try {
                Files.writeString(c.out, report, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UsageException(c.out + ": cannot write: " + e.getMessage(), e);
            }
        }
        long missed = LabelledTargets.check(results).stream().filter(t -> Boolean.FALSE.equals(t.met())).count();
        progress.printf(Locale.ROOT, "adastream eval: done in %.0f s; %d target check(s) missed%n",
                results.results().seconds(), missed);
        return AdaStreamCli.OK;
    }

    /** The spec file's {@code ignoreId} (e.g. CamVid's Unlabelled, 11), else 255. */
    private int specIgnoreId() {
        Path file = Path.of(c.model.name());
        if (!Files.isRegularFile(file)) {
            return LabelledFrameReader.NOT_SCORED;
        }
        try {
            JsonNode id = new ObjectMapper().readTree(file.toFile()).path("ignoreId");
            return id.isInt() ? id.intValue() : LabelledFrameReader.NOT_SCORED;
        } catch (IOException e) {
            return LabelledFrameReader.NOT_SCORED;
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>();
        if (a != null) {
            out.addAll(a);
        }
        if (b != null) {
            out.addAll(b);
        }
        return out;
    }
}
