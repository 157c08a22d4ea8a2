package io.adastream.topology.ops;

import io.adastream.adapt.stats.FrameOutcome;
import io.adastream.metrics.AdaStreamMetrics;
import io.adastream.topology.DeadLetterReason;
import io.adastream.topology.ServiceMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.util.Locale;

/** {@link ServiceMetrics} reported to Prometheus through {@link AdaStreamMetrics}. */
public final class PrometheusServiceMetrics implements ServiceMetrics {

    private static final String[] OUTCOMES = new String[FrameOutcome.values().length];

    static {
        for (FrameOutcome o : FrameOutcome.values()) {
            OUTCOMES[o.ordinal()] = o.name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private final AdaStreamMetrics metrics;

    public PrometheusServiceMetrics(AdaStreamMetrics metrics) {
        this.metrics = metrics;
    }

    /** A new registry with the service's metrics and the JVM's, with at most {@code domainLabelsMax} domain labels. */
    public static PrometheusServiceMetrics create(int domainLabelsMax) {
        return new PrometheusServiceMetrics(new AdaStreamMetrics(new PrometheusRegistry(), domainLabelsMax).withJvmMetrics());
    }

    public AdaStreamMetrics metrics() {
        return metrics;
    }

    public PrometheusRegistry registry() {
        return metrics.registry();
    }

    /** The {@code outcome} label value of a frame outcome, e.g. {@code shift-confirmed}. */
    public static String outcome(FrameOutcome outcome) {
        return OUTCOMES[outcome.ordinal()];
    }

    @Override
    public void frame(String domain, FrameOutcome outcome, double decodeSeconds, double preprocessSeconds,
                      double inferenceSeconds) {
        metrics.frame(domain, outcome(outcome), decodeSeconds, preprocessSeconds, inferenceSeconds);
    }

    @Override
    public void adaptation(String domain, double seconds) {
        metrics.adaptation(seconds);
    }

    @Override
    public void domainState(String domain, double shiftScore, double weight, long frames, int segments) {
        metrics.domainState(domain, shiftScore, weight, frames, segments);
    }

    @Override
    public void deadLetter(DeadLetterReason reason) {
        metrics.deadLetter(reason.code());
    }

    @Override
    public void snapshotWritten(String domain, int bytes) {
        metrics.snapshotWritten(bytes);
    }

    @Override
    public void stateWritten(int bytes) {
        metrics.stateWritten(bytes);
    }

    @Override
    public void labeledFrame(String domain) {
        metrics.labeledFrame(domain);
    }

    @Override
    public void accuracy(String domain, String model, String measure, double value) {
        metrics.accuracy(domain, model, measure, value);
    }

    @Override
    public void domainEvicted(String domain) {
        metrics.domainEvicted(domain);
    }

    @Override
    public void domainLeft(String domain) {
        metrics.domainLeft(domain);
    }

    @Override
    public void liveDomains(String task, int count) {
        metrics.liveDomains(task, count);
    }
}
