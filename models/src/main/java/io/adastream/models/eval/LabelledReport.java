package io.adastream.models.eval;

import io.adastream.adapt.inference.AdaptationMode;
import io.adastream.adapt.stats.policy.Policies;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders {@link LabelledResults} as markdown: per batch size the single-domain table (rows = domain, condition and
 * order; columns = policies and the oracle) in the main mode and in the other mode, the continual stream, the
 * per-class accuracy of source, the default policy and the oracle on each shifted domain (segmentation), the shift
 * detector's alarms per stream, and the checked targets.
 */
public final class LabelledReport {

    private LabelledReport() {
    }

    /** The whole report; {@code command} (may be null) is shown at the top. */
    public static String render(LabelledResults lr, String command) {
        EvalResults r = lr.results();
        LabelledPlan plan = lr.plan();
        StringBuilder md = new StringBuilder();
        md.append("# AdaStream evaluation: ").append(r.model()).append(" on ").append(plan.data()).append("\n\n");
        if (command != null) {
            md.append("```\n").append(command).append("\n```\n\n");
        }
        List<String> domains = new ArrayList<>();
        for (LabelledDomain d : plan.domains()) {
            domains.add(d.name() + " (" + d.frames().size() + " frames" + (plan.sourceDomains().contains(d.name())
                    ? ", no shift from the training data" : "") + ")");
        }
        md.append(String.format(Locale.ROOT, "%s model, %d adaptive BatchNorm layers, %dx%d input; domains %s;"
                        + " cells are %s in points (0–100), every frame scored online as it is predicted, at the"
                        + " model's input size (decoded as the service decodes it, with the spec's thresholds). %s mode,"
                        + " %d ONNX Runtime thread(s); ms/frame is input packing + adaptive run + decoding. Took %.0f s.%n%n",
                r.task(), r.layers(), r.width(), r.height(), String.join(", ", domains), r.metric(),
                Reports.modeName(plan.mode()), plan.threads(), r.seconds()));
        if (!plan.corruptions().isEmpty()) {
            md.append("Corruptions (after ImageNet-C, applied to each frame at the model's input size, seed ")
                    .append(plan.seed()).append("): ")
                    .append(String.join(", ", plan.corruptions().stream().map(Condition::label).toList())).append(".\n\n");
        }
        for (int batch : plan.batches()) {
            single(md, lr, batch, plan.mode(), withOracle(plan.policies()));
        }
        if (!plan.modePolicies().isEmpty()) {
            for (int batch : plan.batches()) {
                single(md, lr, batch, plan.otherMode(), plan.modePolicies());
            }
        }
        if (!plan.continual().isEmpty()) {
            for (int batch : plan.batches()) {
                continual(md, lr, batch);
            }
        }
        if (r.task().equals("segmentation") && plan.policies().contains(TargetChecks.SOURCE)
                && plan.policies().contains(Policies.DEFAULT)) {
            for (LabelledDomain d : plan.domains()) {
                if (!plan.sourceDomains().contains(d.name())) {
                    perClass(md, lr, d.name(), plan.batches().get(0));
                }
            }
        }
        alarms(md, lr, plan.batches().get(0));
        md.append("## Targets\n\n");
        for (TargetChecks.Target t : LabelledTargets.check(lr)) {
            md.append("- **").append(t.verdict()).append("** ").append(t.name()).append(": ").append(t.detail()).append('\n');
        }
        return md.toString();
    }

    private static List<String> withOracle(List<String> policies) {
        List<String> columns = new ArrayList<>(policies);
        columns.add(StreamReplay.ORACLE);
        return columns;
    }

    /** Every single-domain row in plan order. */
    static List<String> singleRows(LabelledPlan plan) {
        List<String> rows = new ArrayList<>();
        for (LabelledDomain d : plan.domains()) {
            for (Condition c : plan.conditions()) {
                for (FrameOrder o : plan.orders()) {
                    rows.add(LabelledPlan.row(d.name(), c, o));
                }
            }
        }
        return rows;
    }

    private static void single(StringBuilder md, LabelledResults lr, int batch, AdaptationMode mode, List<String> columns) {
        EvalResults r = lr.results();
        LabelledPlan plan = lr.plan();
        md.append(String.format(Locale.ROOT, "## One domain at a time, batch %d, %s%n%n", batch, Reports.modeName(mode)));
        md.append("Each stream starts from fresh source statistics. `oracle` is not a policy but a reference: offline"
                + " AdaBN, every frame predicted with the stream's population statistics estimated beforehand from all"
                + " of its frames (label-free, but it sees the whole stream in advance; the same in every order).\n\n");
        header(md, "stream", columns);
        List<String> rows0 = mode == plan.mode() ? singleRows(plan)
                : singleRows(plan).stream().filter(r0 -> plan.orders().get(0) == FrameOrder.TEMPORAL
                ? !r0.endsWith(" order") : r0.endsWith(plan.orders().get(0).id() + " order")).toList();
        for (String row : rows0) {
            List<Double> v = new ArrayList<>();
            for (String p : columns) {
                v.add(r.accuracy(StreamKind.SINGLE, batch, p.equals(StreamReplay.ORACLE) ? plan.mode() : mode, p, row));
            }
            row(md, row, columns, v);
        }
        for (LabelledDomain d : plan.domains()) {
            for (int s : plan.corruptions().stream().mapToInt(Condition::severity).distinct().sorted().toArray()) {
                List<String> rows = plan.corruptions().stream().filter(c -> c.severity() == s)
                        .map(c -> LabelledPlan.row(d.name(), c, FrameOrder.TEMPORAL)).toList();
                List<Double> v = new ArrayList<>();
                for (String p : columns) {
                    v.add(r.meanAccuracy(StreamKind.SINGLE, batch, p.equals(StreamReplay.ORACLE) ? plan.mode() : mode, p, rows));
                }
                row(md, "**" + d.name() + " mean severity " + s + "**", columns, v);
            }
        }
        md.append("| ms/frame |");
        for (String p : columns) {
            md.append(' ').append(Reports.ms(r.msPerFrame(StreamKind.SINGLE, batch,
                    p.equals(StreamReplay.ORACLE) ? plan.mode() : mode, p))).append(" |");
        }
        md.append("\n\n");
    }

    private static void continual(StringBuilder md, LabelledResults lr, int batch) {
        EvalResults r = lr.results();
        LabelledPlan plan = lr.plan();
        md.append(String.format(Locale.ROOT, "## Continual %s, batch %d, %s%n%n", String.join(" → ", plan.continual()),
                batch, Reports.modeName(plan.mode())));
        md.append("One domain, no reset between the sequences. `oracle` is each sequence's own single-domain oracle.\n\n");
        List<String> columns = withOracle(plan.policies());
        header(md, "sequence (in stream order)", columns);
        List<String> rows = plan.continualRows();
        double[] sums = new double[columns.size()];
        int frames = 0;
        for (int i = 0; i < rows.size(); i++) {
            List<Double> v = new ArrayList<>();
            int n = plan.domain(plan.continual().get(i)).frames().size();
            for (int k = 0; k < columns.size(); k++) {
                String p = columns.get(k);
                double a = p.equals(StreamReplay.ORACLE)
                        ? r.accuracy(StreamKind.SINGLE, batch, plan.mode(), p, plan.continual().get(i))
                        : r.accuracy(StreamKind.CONTINUAL, batch, plan.mode(), p, rows.get(i));
                v.add(a);
                sums[k] += a * n;
            }
            frames += n;
            row(md, rows.get(i), columns, v);
        }
        List<Double> mean = new ArrayList<>();
        for (double s : sums) {
            mean.add(s / frames);
        }
        row(md, "**frame-weighted mean**", columns, mean);
        md.append("| shift alarms |");
        for (String p : columns) {
            CellResult c = r.cell(StreamKind.CONTINUAL, batch, plan.mode(), p);
            md.append(' ').append(c == null ? "–" : Long.toString(c.shifts())).append(" |");
        }
        md.append("\n\n");
    }

    private static void perClass(StringBuilder md, LabelledResults lr, String domain, int batch) {
        EvalResults r = lr.results();
        LabelledPlan plan = lr.plan();
        String def = Policies.DEFAULT;
        md.append(String.format(Locale.ROOT, "## Per-class IoU on %s, batch %d, %s%n%n", domain, batch, Reports.modeName(plan.mode())));
        CellResult source = cell(r, batch, plan.mode(), TargetChecks.SOURCE, domain);
        CellResult adapted = cell(r, batch, plan.mode(), def, domain);
        CellResult oracle = cell(r, batch, plan.mode(), StreamReplay.ORACLE, domain);
        if (source == null || adapted == null || source.series(domain) == null || adapted.series(domain) == null) {
            md.append("(not run)\n\n");
            return;
        }
        md.append("| class | source | ").append(def).append(" | ").append(def).append(" − source | oracle |\n|---|---:|---:|---:|---:|\n");
        double[] s = source.series(domain).perClass();
        double[] a = adapted.series(domain).perClass();
        double[] o = oracle == null || oracle.series(domain) == null ? null : oracle.series(domain).perClass();
        List<String> classes = lr.results().task().equals("segmentation") ? classNames(lr, s.length) : List.of();
        for (int c = 0; c < s.length; c++) {
            md.append("| ").append(classes.get(c)).append(" | ").append(Reports.points(s[c])).append(" | ")
                    .append(Reports.points(a[c])).append(" | ")
                    .append(Double.isNaN(a[c] - s[c]) ? "–" : String.format(Locale.ROOT, "%+.1f", 100 * (a[c] - s[c])))
                    .append(" | ").append(o == null ? "–" : Reports.points(o[c])).append(" |\n");
        }
        md.append('\n');
    }

    private static List<String> classNames(LabelledResults lr, int n) {
        List<String> names = lr.classes();
        if (names.size() == n) {
            return names;
        }
        List<String> ids = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            ids.add("class " + c);
        }
        return ids;
    }

    private static void alarms(StringBuilder md, LabelledResults lr, int batch) {
        EvalResults r = lr.results();
        LabelledPlan plan = lr.plan();
        md.append(String.format(Locale.ROOT, "## Shift alarms, batch %d, %s%n%n", batch, Reports.modeName(plan.mode())));
        md.append("Confirmed shifts per stream (each restarts the schedule, or starts a new segment for `balanced`);"
                + " on a stream without a change of conditions every alarm is a false one.\n\n");
        List<String> columns = plan.policies().stream().filter(p -> !p.equals(TargetChecks.SOURCE)).toList();
        md.append("| stream |");
        columns.forEach(p -> md.append(' ').append(p).append(" |"));
        md.append("\n|---|").append("---:|".repeat(columns.size())).append('\n');
        for (String row : singleRows(plan)) {
            md.append("| ").append(row).append(" |");
            for (String p : columns) {
                CellResult c = cell(r, batch, plan.mode(), p, row);
                md.append(' ').append(c == null ? "–" : Long.toString(c.shifts())).append(" |");
            }
            md.append('\n');
        }
        md.append('\n');
    }

    private static CellResult cell(EvalResults r, int batch, AdaptationMode mode, String policy, String row) {
        for (CellResult c : r.cells()) {
            if (c.stream().equals(StreamKind.SINGLE.id()) && c.batch() == batch && c.mode() == mode
                    && c.policy().equals(policy) && c.accuracy().containsKey(row)) {
                return c;
            }
        }
        return null;
    }

    private static void header(StringBuilder md, String first, List<String> columns) {
        md.append("| ").append(first).append(" |");
        for (String p : columns) {
            md.append(' ').append(p).append(" |");
        }
        md.append("\n|---|").append("---:|".repeat(columns.size())).append('\n');
    }

    /** A row of accuracies; the best online policy's value (not source, not the oracle) in bold. */
    private static void row(StringBuilder md, String label, List<String> columns, List<Double> values) {
        int best = -1;
        for (int i = 0; i < values.size(); i++) {
            String p = columns.get(i);
            if (!p.equals(TargetChecks.SOURCE) && !p.equals(StreamReplay.ORACLE) && !values.get(i).isNaN()
                    && (best < 0 || values.get(i) > values.get(best))) {
                best = i;
            }
        }
        md.append("| ").append(label).append(" |");
        for (int i = 0; i < values.size(); i++) {
            String v = Reports.points(values.get(i));
            md.append(' ').append(i == best ? "**" + v + "**" : v).append(" |");
        }
        md.append('\n');
    }
}
