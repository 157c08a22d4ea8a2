package io.adastream.models.eval;

/**
 * The cells of an evaluation on labelled folders ({@link EvalResults}: single-domain cells are stream
 * {@code single} with one row per domain, condition and order as {@link LabelledPlan#row} names it, the oracle
 * among them; the continual cells stream {@code continual}) with the plan they ran (its frames included, for
 * pictures) and the model's class names.
 */
public record LabelledResults(EvalResults results, LabelledPlan plan, java.util.List<String> classes) {
    public LabelledResults {
        classes = java.util.List.copyOf(classes);
    }
}
