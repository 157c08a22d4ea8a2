package io.adastream.models.eval;

import io.adastream.adapt.inference.AdaptationMode;
import io.adastream.adapt.stats.policy.Policies;

import java.util.List;
import java.util.Set;

/**
 * What an evaluation on labelled folders runs: the domains (each a single-domain stream from fresh source
 * statistics), the conditions applied on top (clean first, then synthetic corruptions), the frame orders, the
 * continual sequence of domains streamed without reset (empty for none), the domains without a shift from the
 * training data (for the targets), the policies, batch sizes, the main mode and the policies also run in the other
 * mode, and the replay settings (ONNX Runtime threads, seed of the corruptions' noise, rolling window, kept
 * predictions, the frames the oracle estimates its statistics from, 0 for all).
 */
public record LabelledPlan(String data, List<LabelledDomain> domains, List<Condition> conditions,
                           List<FrameOrder> orders, List<String> continual, Set<String> sourceDomains,
                           List<String> policies, List<Integer> batches, AdaptationMode mode,
                           List<String> modePolicies, int threads, long seed, int window, Set<Integer> keep,
                           int oracleFrames) {

    public LabelledPlan {
        domains = List.copyOf(domains);
        conditions = List.copyOf(conditions);
        orders = List.copyOf(orders);
        continual = List.copyOf(continual);
        sourceDomains = Set.copyOf(sourceDomains);
        policies = List.copyOf(policies);
        batches = List.copyOf(batches);
        modePolicies = List.copyOf(modePolicies);
        keep = Set.copyOf(keep);
        if (domains.isEmpty() || conditions.isEmpty() || orders.isEmpty() || policies.isEmpty() || batches.isEmpty()) {
            throw new IllegalArgumentException("a labelled evaluation needs domains, conditions, orders, policies and batch sizes");
        }
        if (!conditions.get(0).isClean()) {
            throw new IllegalArgumentException("the first condition must be clean");
        }
        for (String p : policies) {
            Policies.fromSpec(p);
        }
        for (String p : modePolicies) {
            Policies.fromSpec(p);
        }
        List<String> names = domains.stream().map(LabelledDomain::name).toList();
        for (String d : continual) {
            if (!names.contains(d)) {
                throw new IllegalArgumentException("no domain '" + d + "' for the continual stream; domains: " + names);
            }
        }
        if (batches.stream().anyMatch(b -> b < 1) || threads < 1 || window < 1 || oracleFrames < 0) {
            throw new IllegalArgumentException("batch sizes, threads and window must be positive, oracle frames >= 0");
        }
    }

    /** The domain of this name. */
    public LabelledDomain domain(String name) {
        for (LabelledDomain d : domains) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        throw new IllegalArgumentException("no domain '" + name + "'; domains: "
                + domains.stream().map(LabelledDomain::name).toList());
    }

    /** The other adaptation mode. */
    public AdaptationMode otherMode() {
        return mode == AdaptationMode.FUSED ? AdaptationMode.TWO_PASS : AdaptationMode.FUSED;
    }

    /** The corruptions (every condition but clean). */
    public List<Condition> corruptions() {
        return conditions.stream().filter(c -> !c.isClean()).toList();
    }

    /** The highest severity among the corruptions, 0 without any. */
    public int hardestSeverity() {
        return corruptions().stream().mapToInt(Condition::severity).max().orElse(0);
    }

    /** The table row of a domain under a condition in an order: {@code 0001TP}, {@code val2017 fog-5}, {@code 0001TP, dominant-class order}. */
    public static String row(String domain, Condition condition, FrameOrder order) {
        String row = condition.isClean() ? domain : domain + " " + condition.label();
        return order == FrameOrder.TEMPORAL ? row : row + ", " + order.id() + " order";
    }

    /** The rows of the continual stream: a domain's name, {@code (2nd time)} when it comes again. */
    public List<String> continualRows() {
        List<String> rows = new java.util.ArrayList<>();
        java.util.Map<String, Integer> times = new java.util.HashMap<>();
        for (String d : continual) {
            int k = times.merge(d, 1, Integer::sum);
            rows.add(k == 1 ? d : d + " (" + (k == 2 ? "2nd" : k == 3 ? "3rd" : k + "th") + " time)");
        }
        return rows;
    }
}
