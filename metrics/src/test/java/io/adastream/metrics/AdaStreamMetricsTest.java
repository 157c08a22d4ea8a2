package io.adastream.metrics;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdaStreamMetricsTest {

    @Test
    void namesFollowPrometheusConventions() throws IOException {
        AdaStreamMetrics m = new AdaStreamMetrics(new PrometheusRegistry(), 10);
        m.frame("cam-1", "folded", 0.002, 0.001, 0.02);
        m.adaptation(0.0001);
        m.domainState("cam-1", 1.5, 0.05, 12, 2);
        m.accuracy("cam-1", "adapted", "miou", 0.7);
        m.deadLetter("corrupt-image");
        m.snapshotWritten(1000);
        m.stateWritten(2000);
        m.liveDomains("0_0", 3);
        m.liveDomains("0_1", 2);
        String text = DomainLabelsTest.scrape(m.registry());
        for (String line : List.of(
                "adastream_frames_total{domain=\"cam-1\",outcome=\"folded\"} 1.0",
                "adastream_inference_duration_seconds_count 1",
                "adastream_preprocess_duration_seconds_count 1",
                "adastream_decode_duration_seconds_count 1",
                "adastream_adaptation_duration_seconds_count 1",
                "adastream_domain_shift_score{domain=\"cam-1\"} 1.5",
                "adastream_domain_momentum{domain=\"cam-1\"} 0.05",
                "adastream_domain_frames{domain=\"cam-1\"} 12.0",
                "adastream_domain_segments{domain=\"cam-1\"} 2.0",
                "adastream_domain_accuracy{domain=\"cam-1\",measure=\"miou\",model=\"adapted\"} 0.7",
                "adastream_dead_letters_total{reason=\"corrupt-image\"} 1.0",
                "adastream_snapshots_written_total 1.0",
                "adastream_snapshot_written_bytes_total 1000.0",
                "adastream_state_written_bytes_total 2000.0",
                "adastream_live_domains 5.0")) {
            assertTrue(text.contains(line), "missing '" + line + "' in\n" + text);
        }
    }

    @Test
    void evictedDomainsLoseTheirGauges() throws IOException {
        AdaStreamMetrics m = new AdaStreamMetrics(new PrometheusRegistry(), 10);
        m.domainState("cam-1", 1.5, 0.05, 12, 0);
        m.domainEvicted("cam-1");
        String text = DomainLabelsTest.scrape(m.registry());
        assertFalse(text.contains("adastream_domain_shift_score{domain=\"cam-1\"}"), text);
        assertTrue(text.contains("adastream_domains_evicted_total 1.0"), text);
    }

    @Test
    void batchSizesAreCountedPerSizeAtScrapeTime() throws IOException {
        AdaStreamMetrics m = new AdaStreamMetrics(new PrometheusRegistry(), 4);
        long[][] counts = {new long[0]};
        m.withBatchSizes(() -> counts[0]);
        assertFalse(DomainLabelsTest.scrape(m.registry()).contains("adastream_inference_batches_total{"),
                "no batching: no samples");
        counts[0] = new long[]{0, 1492, 143, 0, 7};
        String text = DomainLabelsTest.scrape(m.registry());
        assertTrue(text.contains("adastream_inference_batches_total{size=\"1\"} 1492"), text);
        assertTrue(text.contains("adastream_inference_batches_total{size=\"2\"} 143"), text);
        assertTrue(text.contains("adastream_inference_batches_total{size=\"4\"} 7"), text);
        assertFalse(text.contains("size=\"3\""), "sizes never run are not reported");
    }
}
