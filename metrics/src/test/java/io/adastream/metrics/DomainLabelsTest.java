package io.adastream.metrics;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DomainLabelsTest {

    @Test
    void firstNDomainsKeepTheirLabelTheRestAreOther() {
        DomainLabels labels = new DomainLabels(2);
        assertEquals("cam-1", labels.of("cam-1"));
        assertEquals("cam-2", labels.of("cam-2"));
        assertEquals(DomainLabels.OTHER, labels.of("cam-3"));
        assertEquals("cam-1", labels.of("cam-1"), "admitted domains stay");
        assertEquals(DomainLabels.OTHER, labels.of("cam-4"));
        assertEquals(2, labels.size());
    }

    @Test
    void zeroMeansEveryDomainIsAggregated() {
        DomainLabels labels = new DomainLabels(0);
        assertEquals(DomainLabels.OTHER, labels.of("cam-1"));
        assertFalse(labels.hasOwnLabel("cam-1"));
    }

    @Test
    void concurrentFirstSightingsNeverExceedTheCap() throws InterruptedException {
        DomainLabels labels = new DomainLabels(50);
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            int offset = t;
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 200; i++) {
                    labels.of("d" + ((i * 7 + offset) % 300));
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join(10_000);
        }
        assertEquals(50, labels.size());
    }

    @Test
    void exportedSeriesStayBoundedByTheCap() throws IOException {
        AdaStreamMetrics metrics = new AdaStreamMetrics(new PrometheusRegistry(), 3);
        for (int i = 0; i < 40; i++) {
            metrics.frame("cam-" + i, "folded", 0.001, 0.001, 0.01);
            metrics.domainState("cam-" + i, 0.5, 0.1, i + 1, 0);
        }
        String text = scrape(metrics.registry());
        long frameSeries = text.lines().filter(l -> l.startsWith("adastream_frames_total{")).count();
        assertEquals(4, frameSeries, text);
        assertTrue(text.contains("adastream_frames_total{domain=\"_other\",outcome=\"folded\"} 37.0"), text);
        assertTrue(text.contains("adastream_frames_total{domain=\"cam-0\",outcome=\"folded\"} 1.0"), text);
        assertEquals(4, text.lines().filter(l -> l.startsWith("adastream_domain_shift_score{")).count(), text);
        assertTrue(text.contains("adastream_domain_frames{domain=\"_other\"} 40.0"), "latest value of the aggregated: " + text);
    }

    @Test
    void aDomainThatLeavesFreesItsLabelForANewDomainAndLiveOnesKeepTheirs() throws IOException {
        AdaStreamMetrics metrics = new AdaStreamMetrics(new PrometheusRegistry(), 3);
        for (String d : new String[]{"junk-1", "junk-2", "cam-live"}) {
            metrics.frame(d, "folded", 0.001, 0.001, 0.01);
            metrics.domainState(d, 0.5, 0.1, 1, 0);
            metrics.labeledFrame(d);
            metrics.accuracy(d, "adapted", "miou", 0.5);
        }
        metrics.frame("cam-new", "folded", 0.001, 0.001, 0.01);
        assertFalse(metrics.domainLabels().hasOwnLabel("cam-new"), "the cap is full");
        metrics.domainEvicted("junk-1");
        metrics.domainLeft("junk-2");                                   // its partition moved to another instance
        metrics.frame("cam-new", "folded", 0.001, 0.001, 0.01);
        metrics.frame("cam-next", "held", 0.001, 0.001, 0.01);
        metrics.frame("cam-late", "folded", 0.001, 0.001, 0.01);
        metrics.frame("cam-live", "folded", 0.001, 0.001, 0.01);
        assertTrue(metrics.domainLabels().hasOwnLabel("cam-new"), "a freed label goes to the next new domain");
        assertTrue(metrics.domainLabels().hasOwnLabel("cam-next"));
        assertFalse(metrics.domainLabels().hasOwnLabel("cam-late"), "two labels were freed, not three");
        assertEquals(3, metrics.domainLabels().size());

        String text = scrape(metrics.registry());
        assertFalse(text.contains("junk-1") || text.contains("junk-2"), "a departed domain's series are gone: " + text);
        assertTrue(text.contains("adastream_frames_total{domain=\"cam-live\",outcome=\"folded\"} 2.0"), "a live domain keeps its label: " + text);
        assertTrue(text.contains("adastream_frames_total{domain=\"cam-new\",outcome=\"folded\"} 1.0"), text);
        assertTrue(text.contains("adastream_frames_total{domain=\"_other\",outcome=\"folded\"} 2.0"), text);
        assertTrue(text.contains("adastream_domain_accuracy{domain=\"cam-live\",measure=\"miou\",model=\"adapted\"} 0.5"), text);
        assertFalse(metrics.domainLabels().release("never-seen"));
    }

    static String scrape(PrometheusRegistry registry) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
        return out.toString(StandardCharsets.UTF_8);
    }
}
