package io.adastream.models.eval;

import io.adastream.adapt.inference.AdaptationMode;
import io.adastream.adapt.stats.policy.Policies;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Checks issue 4's targets from the measured numbers, per batch size of the main mode: (1) at severity 5, averaged
 * over corruptions, the best label-free policy recovers at least half of what {@code source} loses relative to
 * clean; (2) no policy loses more than 1 point on clean; (3) on the cyclic stream {@code balanced} beats
 * {@code ema} on the condition that is not the most recent (probe accuracy, mean over the two conditions).
 */
public final class TargetChecks {

    /** One checked target: met is null when the numbers it needs were not run. */
    public record Target(String name, Boolean met, String detail) {
        public String verdict() {
            return met == null ? "NOT RUN" : met ? "PASS" : "MISS";
        }
    }

    static final String SOURCE = "source";
    static final double CLEAN_TOLERANCE = 0.01;

    private TargetChecks() {
    }

    public static List<Target> check(EvalResults r) {
        List<Target> targets = new ArrayList<>();
        for (int batch : r.options().batches()) {
            targets.add(recovery(r, batch));
        }
        for (int batch : r.options().batches()) {
            targets.add(clean(r, batch));
        }
        for (int batch : r.options().batches()) {
            targets.add(cyclic(r, batch));
        }
        return targets;
    }

    static List<String> hardRows() {
        return Condition.allAt(EvalOptions.HARD).stream().map(Condition::label).toList();
    }

    private static Target recovery(EvalResults r, int batch) {
        String name = "severity-5 recovery, batch " + batch;
        AdaptationMode mode = r.options().mode();
        List<String> adapted = adapted(r);
        if (!r.options().streams().contains(StreamKind.SINGLE) || !r.options().policies().contains(SOURCE) || adapted.isEmpty()) {
            return new Target(name, null, "needs the single-domain stream with source and at least one other policy");
        }
        double clean = r.accuracy(StreamKind.SINGLE, batch, mode, SOURCE, Condition.CLEAN.label());
        double sourceHard = r.meanAccuracy(StreamKind.SINGLE, batch, mode, SOURCE, hardRows());
        double lost = clean - sourceHard;
        String best = null;
        double bestHard = Double.NEGATIVE_INFINITY;
        for (String p : adapted) {
            double v = r.meanAccuracy(StreamKind.SINGLE, batch, mode, p, hardRows());
            if (v > bestHard) {
                bestHard = v;
                best = p;
            }
        }
        double recovered = bestHard - sourceHard;
        boolean met = lost <= 0 || recovered >= 0.5 * lost;
        StringBuilder d = new StringBuilder(String.format(Locale.ROOT,
                "source: clean %s, severity-5 mean %s (loses %s points); best label-free policy %s: severity-5 mean %s,"
                        + " recovers %s points = %s of the loss (target ≥ 50%%)",
                Reports.points2(clean), Reports.points2(sourceHard), Reports.points2(lost), best,
                Reports.points2(bestHard), Reports.points2(recovered), percent(recovered, lost)));
        if (adapted.contains(Policies.DEFAULT) && !Policies.DEFAULT.equals(best)) {
            double def = r.meanAccuracy(StreamKind.SINGLE, batch, mode, Policies.DEFAULT, hardRows());
            d.append(String.format(Locale.ROOT, "; default %s recovers %s", Policies.DEFAULT,
                    percent(def - sourceHard, lost)));
        }
        double oracle = r.meanAccuracy(StreamKind.SINGLE, batch, mode, StreamReplay.ORACLE, hardRows());
        if (!Double.isNaN(oracle)) {
            d.append(String.format(Locale.ROOT, "; the offline AdaBN oracle (all of each domain's frames in advance)"
                    + " reaches %s = %s of the loss", Reports.points2(oracle), percent(oracle - sourceHard, lost)));
        }
        return new Target(name, met, d.toString());
    }

    private static Target clean(EvalResults r, int batch) {
        String name = "no policy loses more than 1 point on clean, batch " + batch;
        AdaptationMode mode = r.options().mode();
        List<String> adapted = adapted(r);
        if (!r.options().streams().contains(StreamKind.SINGLE) || !r.options().policies().contains(SOURCE) || adapted.isEmpty()) {
            return new Target(name, null, "needs the single-domain stream with source and at least one other policy");
        }
        String row = Condition.CLEAN.label();
        double source = r.accuracy(StreamKind.SINGLE, batch, mode, SOURCE, row);
        List<String> losers = new ArrayList<>();
        String worst = null;
        double worstDrop = Double.NEGATIVE_INFINITY;
        for (String p : adapted) {
            double drop = source - r.accuracy(StreamKind.SINGLE, batch, mode, p, row);
            if (drop > worstDrop) {
                worstDrop = drop;
                worst = p;
            }
            if (drop > CLEAN_TOLERANCE) {
                losers.add(p + " −" + Reports.points2(drop));
            }
        }
        double oracle = r.accuracy(StreamKind.SINGLE, batch, mode, StreamReplay.ORACLE, row);
        String detail = String.format(Locale.ROOT, "source on clean %s; largest drop %s: %s points", Reports.points2(source),
                worst, Reports.points2(worstDrop))
                + (losers.isEmpty() ? "" : "; over 1 point: " + String.join(", ", losers))
                + (Double.isNaN(oracle) ? "" : String.format(Locale.ROOT, "; the offline AdaBN oracle on clean: %s (%+.2f)",
                Reports.points2(oracle), 100 * (oracle - source)));
        return new Target(name, losers.isEmpty(), detail);
    }

    private static Target cyclic(EvalResults r, int batch) {
        String name = "cyclic: balanced beats ema on the condition not streamed most recently, batch " + batch;
        AdaptationMode mode = r.options().mode();
        CellResult balanced = r.cell(StreamKind.CYCLIC, batch, mode, "balanced");
        CellResult ema = r.cell(StreamKind.CYCLIC, batch, mode, "ema");
        if (balanced == null || ema == null || balanced.probeOther().isEmpty()) {
            return new Target(name, null, "needs the cyclic stream with probes and the policies balanced and ema");
        }
        double b = mean(balanced.probeOther().values());
        double e = mean(ema.probeOther().values());
        String a = r.options().cyclicA().label();
        String c = r.options().cyclicB().label();
        String detail = String.format(Locale.ROOT,
                "probe accuracy on the other condition: balanced %s (%s %s, %s %s), ema %s (%s %s, %s %s)",
                Reports.points2(b), a, Reports.points2(balanced.probeOther().getOrDefault(a, Double.NaN)), c,
                Reports.points2(balanced.probeOther().getOrDefault(c, Double.NaN)), Reports.points2(e), a,
                Reports.points2(ema.probeOther().getOrDefault(a, Double.NaN)), c,
                Reports.points2(ema.probeOther().getOrDefault(c, Double.NaN)));
        return new Target(name, b > e, detail);
    }

    private static List<String> adapted(EvalResults r) {
        return r.options().policies().stream().filter(p -> !p.equals(SOURCE)).toList();
    }

    private static double mean(java.util.Collection<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    private static String percent(double part, double whole) {
        return whole <= 0 ? "n/a (nothing lost)" : String.format(Locale.ROOT, "%.0f%%", 100 * part / whole);
    }
}
