package io.adastream.models.eval;

import io.adastream.adapt.inference.AdaptationMode;
import io.adastream.adapt.stats.policy.Policies;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The real-data targets, checked per batch size of the main mode from the measured numbers: (1) on each domain with a
 * shift (not a source domain), the default policy within 1 point of the oracle and above source; (2) on the
 * continual stream, the default policy on each shifted domain's rows within 1.5 points of that domain's oracle;
 * (3) on each source domain, clean, in every order, no policy more than 1 point below source; (4) on each source
 * domain at the hardest corruption severity, the default policy recovers at least half of what the oracle recovers
 * (means over the corruptions); (5) on every clean stream, in every order, the default policy not more than 1 point
 * below source.
 */
public final class LabelledTargets {

    static final double ORACLE_TOLERANCE = 0.01;
    static final double CONTINUAL_TOLERANCE = 0.015;
    static final double SOURCE_TOLERANCE = 0.01;

    private LabelledTargets() {
    }

    public static List<TargetChecks.Target> check(LabelledResults lr) {
        LabelledPlan plan = lr.plan();
        List<TargetChecks.Target> targets = new ArrayList<>();
        if (!plan.policies().contains(TargetChecks.SOURCE) || !plan.policies().contains(Policies.DEFAULT)) {
            targets.add(new TargetChecks.Target("real-data targets", null, "need the policies source and " + Policies.DEFAULT));
            return targets;
        }
        for (int batch : plan.batches()) {
            for (LabelledDomain d : plan.domains()) {
                if (!plan.sourceDomains().contains(d.name())) {
                    targets.add(nearOracle(lr, batch, d.name()));
                }
            }
            if (!plan.continual().isEmpty()) {
                List<String> rows = plan.continualRows();
                for (int i = 0; i < rows.size(); i++) {
                    if (!plan.sourceDomains().contains(plan.continual().get(i))) {
                        targets.add(continual(lr, batch, rows.get(i), plan.continual().get(i)));
                    }
                }
            }
            for (LabelledDomain d : plan.domains()) {
                if (plan.sourceDomains().contains(d.name())) {
                    for (FrameOrder o : plan.orders()) {
                        targets.add(noPolicyBelowSource(lr, batch, LabelledPlan.row(d.name(), Condition.CLEAN, o)));
                    }
                    if (plan.hardestSeverity() > 0) {
                        targets.add(recovery(lr, batch, d.name()));
                    }
                }
            }
            for (LabelledDomain d : plan.domains()) {
                for (FrameOrder o : plan.orders()) {
                    targets.add(defaultNotBelowSource(lr, batch, LabelledPlan.row(d.name(), Condition.CLEAN, o)));
                }
            }
        }
        return targets;
    }

    private static double acc(LabelledResults lr, int batch, String policy, String row) {
        return lr.results().accuracy(StreamKind.SINGLE, batch, lr.plan().mode(), policy, row);
    }

    private static TargetChecks.Target nearOracle(LabelledResults lr, int batch, String domain) {
        String name = String.format(Locale.ROOT, "%s: %s within 1 point of the oracle and above source, batch %d",
                domain, Policies.DEFAULT, batch);
        double source = acc(lr, batch, TargetChecks.SOURCE, domain);
        double def = acc(lr, batch, Policies.DEFAULT, domain);
        double oracle = acc(lr, batch, StreamReplay.ORACLE, domain);
        boolean met = def >= oracle - ORACLE_TOLERANCE && def > source;
        return new TargetChecks.Target(name, met, String.format(Locale.ROOT, "source %s, %s %s, oracle %s: %s the"
                        + " oracle by %s points, %s source by %s", Reports.points2(source), Policies.DEFAULT,
                Reports.points2(def), Reports.points2(oracle), def >= oracle ? "above" : "below",
                Reports.points2(Math.abs(oracle - def)), def >= source ? "above" : "below",
                Reports.points2(Math.abs(def - source))));
    }

    private static TargetChecks.Target continual(LabelledResults lr, int batch, String row, String domain) {
        String name = String.format(Locale.ROOT, "continual %s: %s on %s within 1.5 points of its oracle, batch %d",
                String.join(" → ", lr.plan().continual()), Policies.DEFAULT, row, batch);
        double def = lr.results().accuracy(StreamKind.CONTINUAL, batch, lr.plan().mode(), Policies.DEFAULT, row);
        double oracle = acc(lr, batch, StreamReplay.ORACLE, domain);
        double source = lr.results().accuracy(StreamKind.CONTINUAL, batch, lr.plan().mode(), TargetChecks.SOURCE, row);
        return new TargetChecks.Target(name, def >= oracle - CONTINUAL_TOLERANCE, String.format(Locale.ROOT,
                "%s %s, oracle of %s %s (%+.2f), source %s", Policies.DEFAULT, Reports.points2(def), domain,
                Reports.points2(oracle), 100 * (def - oracle), Reports.points2(source)));
    }

    private static TargetChecks.Target noPolicyBelowSource(LabelledResults lr, int batch, String row) {
        String name = String.format(Locale.ROOT, "%s: no policy more than 1 point below source, batch %d", row, batch);
        double source = acc(lr, batch, TargetChecks.SOURCE, row);
        List<String> losers = new ArrayList<>();
        String worst = null;
        double worstDrop = Double.NEGATIVE_INFINITY;
        for (String p : lr.plan().policies()) {
            if (p.equals(TargetChecks.SOURCE)) {
                continue;
            }
            double drop = source - acc(lr, batch, p, row);
            if (drop > worstDrop) {
                worstDrop = drop;
                worst = p;
            }
            if (drop > SOURCE_TOLERANCE) {
                losers.add(p + " −" + Reports.points2(drop));
            }
        }
        double oracle = acc(lr, batch, StreamReplay.ORACLE, row);
        return new TargetChecks.Target(name, losers.isEmpty(), String.format(Locale.ROOT,
                "source %s; largest drop %s: %s points%s; oracle %s", Reports.points2(source), worst,
                Reports.points2(worstDrop), losers.isEmpty() ? "" : "; over 1 point: " + String.join(", ", losers),
                Reports.points2(oracle)));
    }

    private static TargetChecks.Target recovery(LabelledResults lr, int batch, String domain) {
        int s = lr.plan().hardestSeverity();
        String name = String.format(Locale.ROOT, "%s at severity %d: %s recovers at least half of what the oracle"
                + " recovers, batch %d", domain, s, Policies.DEFAULT, batch);
        List<String> rows = lr.plan().corruptions().stream().filter(c -> c.severity() == s)
                .map(c -> LabelledPlan.row(domain, c, FrameOrder.TEMPORAL)).toList();
        double source = mean(lr, batch, TargetChecks.SOURCE, rows);
        double def = mean(lr, batch, Policies.DEFAULT, rows);
        double oracle = mean(lr, batch, StreamReplay.ORACLE, rows);
        double byOracle = oracle - source;
        double byDefault = def - source;
        boolean met = byOracle <= 0 ? byDefault >= 0 : byDefault >= 0.5 * byOracle;
        return new TargetChecks.Target(name, met, String.format(Locale.ROOT, "means over %d corruptions: source %s, %s"
                        + " %s, oracle %s; the oracle recovers %s points, %s %s = %s", rows.size(),
                Reports.points2(source), Policies.DEFAULT, Reports.points2(def), Reports.points2(oracle),
                Reports.points2(byOracle), Policies.DEFAULT, Reports.points2(byDefault),
                byOracle <= 0 ? "n/a (the oracle recovers nothing)"
                        : String.format(Locale.ROOT, "%.0f%% of it (target ≥ 50%%)", 100 * byDefault / byOracle)));
    }

    private static TargetChecks.Target defaultNotBelowSource(LabelledResults lr, int batch, String row) {
        String name = String.format(Locale.ROOT, "%s: %s not more than 1 point below source, batch %d", row,
                Policies.DEFAULT, batch);
        double source = acc(lr, batch, TargetChecks.SOURCE, row);
        double def = acc(lr, batch, Policies.DEFAULT, row);
        return new TargetChecks.Target(name, def >= source - SOURCE_TOLERANCE, String.format(Locale.ROOT,
                "source %s, %s %s (%+.2f)", Reports.points2(source), Policies.DEFAULT, Reports.points2(def),
                100 * (def - source)));
    }

    private static double mean(LabelledResults lr, int batch, String policy, List<String> rows) {
        return lr.results().meanAccuracy(StreamKind.SINGLE, batch, lr.plan().mode(), policy, rows);
    }
}
