package io.adastream.benchmarks;

import org.openjdk.jmh.results.RunResult;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The table of {@code scripts/bench.sh graph}: per model and batch, the original, the floor and the adaptive graph at
 * blend 0 and 0.1, with each time's ratio to the original and to the floor (same run) and whether the adaptive graph
 * at blend 0 is within {@value #TARGET_OVER_FLOOR}x of the floor.
 */
final class GraphTable {

    static final double TARGET_OVER_FLOOR = 1.2;
    /** The two-tier path on a stationary stream against the original, at batch 1. */
    static final double TARGET_TWO_TIER = 1.1;

    private GraphTable() {
    }

    /** The markdown table of a graph run's results. */
    static String markdown(Collection<RunResult> results) {
        Map<String, Map<String, double[]>> rows = new LinkedHashMap<>();
        for (String model : BenchModel.NAMES) {
            for (String batch : new String[]{"1", "8"}) {
                for (RunResult r : results) {
                    if (r.getParams().getParam("model").equals(model) && r.getParams().getParam("batch").equals(batch)) {
                        rows.computeIfAbsent(model + "|" + batch, k -> new LinkedHashMap<>())
                                .put(r.getParams().getBenchmark().replaceAll(".*\\.", ""),
                                        new double[]{r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError()});
                    }
                }
            }
        }
        StringBuilder out = new StringBuilder();
        out.append("| model | batch | original | floor | adaptive, b = 0 | adaptive, b = 0.1 | b = 0 / floor | target ≤ ")
                .append(TARGET_OVER_FLOOR).append("× floor | two-tier, stationary | two-tier / original | target ≤ ")
                .append(TARGET_TWO_TIER).append("× original (batch 1) |\n");
        out.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | --- |\n");
        rows.forEach((key, m) -> {
            String[] k = key.split("\\|");
            double[] orig = m.get("original");
            double[] floor = m.get("statisticsAsInputs");
            double[] b0 = m.get("adaptiveWeight0");
            double[] b01 = m.get("adaptiveWeight01");
            if (orig == null || floor == null || b0 == null || b01 == null) {
                return;
            }
            double overFloor = b0[0] / floor[0];
            double[] tt = m.get("twoTierStationary");
            String twoTier = tt == null ? "| | | " : String.format(Locale.ROOT, "| %s | %.2f | %s ", cell(tt, orig, null),
                    tt[0] / orig[0], !k[1].equals("1") ? "" : tt[0] / orig[0] <= TARGET_TWO_TIER ? "met" : "missed");
            out.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %.2f | %s %s|%n", k[0], k[1],
                    cell(orig, orig, null), cell(floor, orig, null), cell(b0, orig, floor), cell(b01, orig, floor),
                    overFloor, overFloor <= TARGET_OVER_FLOOR ? "met" : "missed", twoTier));
        });
        out.append("\nms per run ± JMH's 99.9% error; in brackets the ratio to the original, then to the floor. Two-tier: "
                + "ms per batch of one stationary domain's frames in the steady state (K = 32: 31 frames on the baked "
                + "model, one adaptive and folded), averaged over the run.\n");
        return out.toString();
    }

    private static String cell(double[] score, double[] original, double[] floor) {
        String ratios = String.format(Locale.ROOT, "%.2f", score[0] / original[0]);
        if (floor != null) {
            ratios += String.format(Locale.ROOT, ", %.2f", score[0] / floor[0]);
        }
        return String.format(Locale.ROOT, "%s ± %s (%s)", fmt(score[0]), fmt(score[1]), ratios);
    }

    private static String fmt(double ms) {
        return String.format(Locale.ROOT, ms < 10 ? "%.3f" : "%.2f", ms);
    }
}
