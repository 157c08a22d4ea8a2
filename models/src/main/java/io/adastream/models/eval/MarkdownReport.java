package io.adastream.models.eval;

import io.adastream.adapt.inference.AdaptationMode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders {@link EvalResults} as markdown: per stream and batch size a table with rows = target domains and
 * columns = policies (cells are the online accuracy in points, the best adapted policy of a row in bold), a
 * ms/frame row, the fused vs two-pass comparison, and the checked targets.
 */
public final class MarkdownReport {

    private MarkdownReport() {
    }

    /** The whole report; {@code command} (may be null) is shown at the top as the command that regenerates it. */
    public static String render(EvalResults r, String command) {
        StringBuilder md = new StringBuilder();
        EvalOptions o = r.options();
        md.append("# AdaStream evaluation: ").append(r.model()).append("\n\n");
        if (command != null) {
            md.append("```\n").append(command).append("\n```\n\n");
        }
        md.append(String.format(Locale.ROOT, "%s model, %d adaptive BatchNorm layers, %dx%d synthetic frames; cells are"
                        + " %s in points (0–100), every frame scored online as it is predicted (decoded as the service decodes it, with the spec's thresholds). %d frames per domain,"
                        + " seed %d, %s mode, %d ONNX Runtime thread(s); ms/frame is input packing + adaptive run + decoding."
                        + " Took %.0f s.%n%n", r.task(), r.layers(), r.width(), r.height(), r.metric(), o.frames(),
                o.seed(), Reports.modeName(o.mode()), o.threads(), r.seconds()));
        if (o.streams().contains(StreamKind.SINGLE)) {
            for (int batch : o.batches()) {
                single(md, r, batch);
            }
        }
        if (o.streams().contains(StreamKind.CONTINUAL)) {
            for (int batch : o.batches()) {
                continual(md, r, batch);
            }
        }
        if (o.streams().contains(StreamKind.CYCLIC)) {
            for (int batch : o.batches()) {
                cyclic(md, r, batch);
            }
        }
        if (o.streams().contains(StreamKind.SINGLE) && !o.modePolicies().isEmpty()) {
            modes(md, r);
        }
        md.append("## Targets\n\n");
        for (TargetChecks.Target t : TargetChecks.check(r)) {
            md.append("- **").append(t.verdict()).append("** ").append(t.name()).append(": ").append(t.detail()).append('\n');
        }
        return md.toString();
    }

    private static void single(StringBuilder md, EvalResults r, int batch) {
        EvalOptions o = r.options();
        md.append(String.format(Locale.ROOT, "## One domain at a time, batch %d%n%n", batch));
        md.append("Each domain starts from fresh source statistics; all domains show the same scenes. `oracle` is not a"
                + " policy but a reference: offline AdaBN, every frame predicted with the domain's population statistics"
                + " estimated beforehand from all of its frames (label-free, but it sees the whole stream in advance).\n\n");
        List<String> columns = new ArrayList<>(o.policies());
        columns.add(StreamReplay.ORACLE);
        header(md, "domain", columns);
        AdaptationMode mode = o.mode();
        for (Condition c : o.singleConditions()) {
            List<Double> v = new ArrayList<>();
            for (String p : columns) {
                v.add(r.accuracy(StreamKind.SINGLE, batch, mode, p, c.label()));
            }
            row(md, c.label(), columns, v);
        }
        for (int s : EvalOptions.SEVERITIES) {
            List<String> rows = Condition.allAt(s).stream().map(Condition::label).toList();
            List<Double> v = new ArrayList<>();
            for (String p : columns) {
                v.add(r.meanAccuracy(StreamKind.SINGLE, batch, mode, p, rows));
            }
            row(md, "**mean severity " + s + "**", columns, v);
        }
        msRow(md, r, StreamKind.SINGLE, batch, columns);
    }

    private static void continual(StringBuilder md, EvalResults r, int batch) {
        EvalOptions o = r.options();
        md.append(String.format(Locale.ROOT, "## Continual, batch %d%n%n", batch));
        md.append(String.format(Locale.ROOT, "One domain, no reset: clean, the %d corruptions at severity %d, clean again;"
                + " %d frames each.%n%n", Condition.allAt(EvalOptions.HARD).size(), EvalOptions.HARD, o.frames()));
        header(md, "domain (in stream order)", o.policies());
        List<String> rows = continualRows(o);
        for (String label : rows) {
            List<Double> v = new ArrayList<>();
            for (String p : o.policies()) {
                v.add(r.accuracy(StreamKind.CONTINUAL, batch, o.mode(), p, label));
            }
            row(md, label, o.policies(), v);
        }
        List<Double> mean = new ArrayList<>();
        for (String p : o.policies()) {
            mean.add(r.meanAccuracy(StreamKind.CONTINUAL, batch, o.mode(), p, rows));
        }
        row(md, "**mean**", o.policies(), mean);
        msRow(md, r, StreamKind.CONTINUAL, batch);
    }

    private static List<String> continualRows(EvalOptions o) {
        List<String> rows = new ArrayList<>();
        for (Condition c : o.continualOrder()) {
            rows.add(rows.contains(c.label()) ? c.label() + " (2nd time)" : c.label());
        }
        return rows;
    }

    private static void cyclic(StringBuilder md, EvalResults r, int batch) {
        EvalOptions o = r.options();
        String a = o.cyclicA().label();
        String b = o.cyclicB().label();
        md.append(String.format(Locale.ROOT, "## Cyclic %s ↔ %s, batch %d%n%n", a, b, batch));
        md.append(String.format(Locale.ROOT, "One domain, %s and %s alternating in blocks of %d frames, %d times each."
                        + " Online: accuracy of the streamed frames. Probe: %d held-out frames of each condition predicted"
                        + " every %d frames with the domain's statistics frozen, once both conditions have been seen;"
                        + " \"other\" is the condition not being streamed (not the most recent).%n%n",
                a, b, o.frames(), o.cycles(), o.probeFrames(), o.probeEvery()));
        header(md, "", o.policies());
        String[][] rows = {
                {"online " + a, "online", a}, {"online " + b, "online", b},
                {"probe " + a + ", while streamed", "current", a}, {"probe " + b + ", while streamed", "current", b},
                {"probe " + a + ", while " + b + " streams", "other", a}, {"probe " + b + ", while " + a + " streams", "other", b}};
        for (String[] spec : rows) {
            List<Double> v = new ArrayList<>();
            for (String p : o.policies()) {
                CellResult c = r.cell(StreamKind.CYCLIC, batch, o.mode(), p);
                v.add(c == null ? Double.NaN : switch (spec[1]) {
                    case "online" -> c.accuracy(spec[2]);
                    case "current" -> c.probeCurrent().getOrDefault(spec[2], Double.NaN);
                    default -> c.probeOther().getOrDefault(spec[2], Double.NaN);
                });
            }
            row(md, spec[0], o.policies(), v);
        }
        msRow(md, r, StreamKind.CYCLIC, batch);
    }

    private static void modes(StringBuilder md, EvalResults r) {
        EvalOptions o = r.options();
        List<String> hard = TargetChecks.hardRows();
        List<String> clean = List.of(Condition.CLEAN.label());
        md.append("## Fused vs two-pass, batch 1\n\n");
        md.append("Single-domain streams: clean, and the mean over the corruptions at severity 5. Fused: one pass,"
                + " the frame blended into its own statistics; two-pass: fold, then predict with the updated statistics.\n\n");
        md.append("| policy | fused clean | two-pass clean | fused sev-5 mean | two-pass sev-5 mean | fused ms/frame | two-pass ms/frame |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|\n");
        List<String> both = new ArrayList<>(clean);
        both.addAll(hard);
        for (String p : o.modePolicies()) {
            AdaptationMode f = AdaptationMode.FUSED;
            AdaptationMode t = AdaptationMode.TWO_PASS;
            md.append("| ").append(p)
                    .append(" | ").append(Reports.points(r.accuracy(StreamKind.SINGLE, 1, f, p, clean.get(0))))
                    .append(" | ").append(Reports.points(r.accuracy(StreamKind.SINGLE, 1, t, p, clean.get(0))))
                    .append(" | ").append(Reports.points(r.meanAccuracy(StreamKind.SINGLE, 1, f, p, hard)))
                    .append(" | ").append(Reports.points(r.meanAccuracy(StreamKind.SINGLE, 1, t, p, hard)))
                    .append(" | ").append(Reports.ms(r.msPerFrame(StreamKind.SINGLE, 1, f, p, both)))
                    .append(" | ").append(Reports.ms(r.msPerFrame(StreamKind.SINGLE, 1, t, p, both)))
                    .append(" |\n");
        }
        md.append('\n');
    }

    private static void header(StringBuilder md, String first, List<String> policies) {
        md.append("| ").append(first).append(" |");
        for (String p : policies) {
            md.append(' ').append(p).append(" |");
        }
        md.append("\n|---|");
        md.append("---:|".repeat(policies.size()));
        md.append('\n');
    }

    /** A row of accuracies; the best value of an online policy (not source, not the oracle) is bold. */
    private static void row(StringBuilder md, String label, List<String> policies, List<Double> values) {
        int best = -1;
        for (int i = 0; i < values.size(); i++) {
            if (!policies.get(i).equals(TargetChecks.SOURCE) && !policies.get(i).equals(StreamReplay.ORACLE)
                    && !values.get(i).isNaN()
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

    private static void msRow(StringBuilder md, EvalResults r, StreamKind stream, int batch) {
        msRow(md, r, stream, batch, r.options().policies());
    }

    private static void msRow(StringBuilder md, EvalResults r, StreamKind stream, int batch, List<String> columns) {
        md.append("| ms/frame |");
        for (String p : columns) {
            md.append(' ').append(Reports.ms(r.msPerFrame(stream, batch, r.options().mode(), p))).append(" |");
        }
        md.append("\n\n");
    }
}
