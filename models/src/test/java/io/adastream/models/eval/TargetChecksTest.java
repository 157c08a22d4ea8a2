package io.adastream.models.eval;

import io.adastream.adapt.inference.AdaptationMode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TargetChecksTest {

    private static final List<String> POLICIES = List.of("source", "adabn", "ema", "balanced");

    /** Hand-made cells: clean and severity-5 accuracies per policy, and cyclic probe accuracies. */
    private static EvalResults results(Map<String, double[]> cleanAndHard, double balancedOther, double emaOther) {
        EvalOptions o = EvalOptions.defaults().withBatches(List.of(1)).withPolicies(POLICIES)
                .withStreams(Set.of(StreamKind.SINGLE, StreamKind.CYCLIC));
        List<CellResult> cells = new ArrayList<>();
        for (String p : POLICIES) {
            double[] v = cleanAndHard.get(p);
            cells.add(cell("single", p, Map.of("clean", v[0]), Map.of()));
            for (Condition c : Condition.allAt(5)) {
                cells.add(cell("single", p, Map.of(c.label(), v[1]), Map.of()));
            }
        }
        cells.add(cell("cyclic", "balanced", Map.of("clean", 0.5), Map.of("clean", balancedOther, "fog-5", balancedOther)));
        cells.add(cell("cyclic", "ema", Map.of("clean", 0.5), Map.of("clean", emaOther, "fog-5", emaOther)));
        return new EvalResults(o, "m", "segmentation", "mIoU", 3, 32, 32, cells, 1);
    }

    private static CellResult cell(String stream, String policy, Map<String, Double> acc, Map<String, Double> other) {
        return new CellResult(stream, policy, 1, AdaptationMode.FUSED, acc, Map.of(), other, 1.0, 10, 0, 0);
    }

    private static Map<String, double[]> numbers(double[] source, double[] adabn, double[] ema, double[] balanced) {
        Map<String, double[]> m = new HashMap<>();
        m.put("source", source);
        m.put("adabn", adabn);
        m.put("ema", ema);
        m.put("balanced", balanced);
        return m;
    }

    @Test
    void allTargetsMet() {
        var r = results(numbers(new double[]{0.60, 0.20}, new double[]{0.595, 0.41}, new double[]{0.60, 0.30},
                new double[]{0.60, 0.35}), 0.45, 0.40);
        List<TargetChecks.Target> t = TargetChecks.check(r);
        assertEquals(3, t.size());
        assertTrue(t.stream().allMatch(x -> x.met()), t.toString());
        assertTrue(t.get(0).detail().contains("adabn"), t.get(0).detail());
        assertTrue(t.get(0).detail().contains("53%"), t.get(0).detail());
    }

    @Test
    void misses() {
        var r = results(numbers(new double[]{0.60, 0.20}, new double[]{0.58, 0.39}, new double[]{0.60, 0.30},
                new double[]{0.60, 0.35}), 0.40, 0.45);
        List<TargetChecks.Target> t = TargetChecks.check(r);
        assertEquals("MISS", t.get(0).verdict(), t.get(0).detail());
        assertEquals("MISS", t.get(1).verdict());
        assertTrue(t.get(1).detail().contains("adabn −2.00"), t.get(1).detail());
        assertEquals("MISS", t.get(2).verdict());
    }

    @Test
    void notRunWithoutTheStreams() {
        var full = results(numbers(new double[]{0.6, 0.2}, new double[]{0.6, 0.2}, new double[]{0.6, 0.2},
                new double[]{0.6, 0.2}), 0.4, 0.4);
        var r = new EvalResults(full.options().withStreams(Set.of(StreamKind.CONTINUAL)), "m", "segmentation", "mIoU",
                3, 32, 32, List.of(), 1);
        for (TargetChecks.Target t : TargetChecks.check(r)) {
            assertNull(t.met());
            assertEquals("NOT RUN", t.verdict());
        }
    }
}
