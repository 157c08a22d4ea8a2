package io.adastream.it;

import io.adastream.topology.AdaStreamService;
import io.adastream.topology.ServiceMetrics;
import io.adastream.topology.config.AdaStreamConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reliability, sustained load: a bounded run at a fixed offered rate below capacity with many more domain ids than the
 * cap of live domains: end-to-end latency percentiles, heap used after a full GC at the start and at the end (flat),
 * and the live domains per task never above the cap. The service runs in this JVM (so that its live-domain count and
 * heap can be read); the broker is a child JVM. Length, rate and bounds: -Dreliability.load.seconds (default 120),
 * -Dreliability.load.rate (100 frames/s), -Dreliability.load.domains (1500), -Dreliability.load.cap (300 per task),
 * -Dreliability.load.p99.max.ms (2000).
 */
class SustainedLoadReliabilityTest {

    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void boundedRunAtAFixedRateWithManyDomains() throws Exception {
        int seconds = Integer.getInteger("reliability.load.seconds", 120);
        int rate = Integer.getInteger("reliability.load.rate", 100);
        int domains = Integer.getInteger("reliability.load.domains", 1500);
        int cap = Integer.getInteger("reliability.load.cap", 300);
        long p99Max = Long.getLong("reliability.load.p99.max.ms", 2000);
        int partitions = 2;
        Figures f = new Figures("5. Sustained load: " + seconds + " s at " + rate + " frames/s over " + domains + " domain ids");
        boolean passed = false;
        try (Harness h = Harness.start("load")) {
            h.createTopics("", partitions);
            int n = seconds * rate;
            List<byte[]> pool = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                pool.add(Images.png(i, 30 * (i % 6)));
            }
            Random random = new Random(5);
            List<Out> frames = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                // every id appears (the first pass goes through them all), then at random
                String d = "dom-" + (i < domains ? i : random.nextInt(domains));
                frames.add(Out.frame(Harness.FRAMES, d, String.format("L-%07d", i + 1), pool.get(i % pool.size())));
            }
            f.line("%d frames, %d distinct domain ids, 2 partitions (tasks), domains.max.per.task=%d (evict), "
                    + "service in the test JVM (-Xmx1g), broker in a child JVM", n, domains, cap);

            LoadMetrics metrics = new LoadMetrics();
            String app = "adastream-load";
            Map<String, String> cfg = new java.util.TreeMap<>();
            cfg.put("bootstrap.servers", h.bootstrap());
            cfg.put("application.id", app);
            cfg.put("state.dir", h.dir.resolve("state-load").toString());
            cfg.put("model.spec", h.modelSpec.toString());
            cfg.put("inference.threads", "1");
            cfg.put("domains.max.per.task", Integer.toString(cap));
            AdaStreamService service = AdaStreamService.create(AdaStreamConfig.of(cfg), metrics);
            h.own(service);
            service.start();
            await("the in-process service RUNNING").atMost(Duration.ofMinutes(2))
                    .until(() -> service.streams().state() == KafkaStreams.State.RUNNING);

            PredictionCollector predictions = h.own(new PredictionCollector(h.bootstrap(), Harness.PREDICTIONS));
            long t0 = System.nanoTime();
            FrameFeeder feeder = h.own(new FrameFeeder(h.bootstrap(), frames, rate));
            int warmup = Math.min(n / 4, 20 * rate);
            predictions.awaitDistinct(warmup, Duration.ofMinutes(5));
            long heapStart = heapAfterGc();
            int fromIndex = predictions.total();

            feeder.done().get(seconds + 300L, TimeUnit.SECONDS);
            long sentAll = System.nanoTime();
            h.awaitCaughtUp(app, Harness.FRAMES, Duration.ofMinutes(5));
            predictions.awaitDistinct(n, Duration.ofMinutes(2));
            double drain = Elapsed.seconds(System.nanoTime() - sentAll);
            double elapsed = Elapsed.seconds(System.nanoTime() - t0);
            long heapEnd = heapAfterGc();
            List<Long> lat = new ArrayList<>(predictions.latenciesSince(fromIndex));
            lat.sort(null);
            long p50 = lat.get(lat.size() / 2);
            long p99 = lat.get((int) Math.min(lat.size() - 1, Math.ceil(lat.size() * 0.99) - 1));
            long max = lat.get(lat.size() - 1);
            assertEquals(KafkaStreams.State.RUNNING, service.streams().state());
            Delivery d = Delivery.read(h, Harness.PREDICTIONS, Streams.ids(frames));

            f.line("offered %d frames/s; %d predictions in %.1f s (%.1f frames/s); the last frame predicted %.1f s after it was sent",
                    rate, d.total(), elapsed, d.total() / elapsed, drain);
            f.line("end-to-end latency (frame produced -> prediction read with read_committed), after %d warm-up frames: "
                    + "p50 %d ms, p99 %d ms, max %d ms (%d samples)", warmup, p50, p99, max, lat.size());
            f.line("heap used after a full GC: %.1f MB after warm-up, %.1f MB at the end (%+.1f MB)",
                    heapStart / 1e6, heapEnd / 1e6, (heapEnd - heapStart) / 1e6);
            f.line("live domains: at most %d per task (cap %d), at most %d in all; %d evictions (snapshot first, "
                    + "warm start on return)", metrics.maxPerTask.get(), cap, metrics.maxTotal.get(), metrics.evictions.get());
            f.line("%s", d.summary());
            if (!d.discontinuities().isEmpty()) {
                f.line("domains whose state went back after an eviction: %d, e.g. %s", d.discontinuities().size(),
                        d.discontinuities().get(0));
            }

            assertTrue(d.exactlyOnce(), d.details());
            assertTrue(d.discontinuities().isEmpty(), "an evicted domain that returns resumes from its own last state: "
                    + d.details());
            assertTrue(metrics.maxPerTask.get() <= cap, "live domains above the cap");
            assertTrue(metrics.evictions.get() > 0, "the run must exceed the cap");
            assertTrue(p99 <= p99Max, "p99 " + p99 + " ms > " + p99Max + " ms");
            assertTrue(drain < 30, "the offered rate must be below capacity (drain " + drain + " s)");
            assertTrue(heapEnd <= heapStart * 1.5 + 32e6, "heap after GC grew from " + heapStart + " to " + heapEnd);
            passed = true;
        } finally {
            f.write(passed);
        }
    }

    static long heapAfterGc() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Records the live-domain counts per task and the evictions the service reports. */
    static final class LoadMetrics implements ServiceMetrics {
        final Map<String, Integer> live = new ConcurrentHashMap<>();
        final AtomicInteger maxPerTask = new AtomicInteger();
        final AtomicInteger maxTotal = new AtomicInteger();
        final AtomicLong evictions = new AtomicLong();

        @Override
        public void liveDomains(String task, int count) {
            live.put(task, count);
            maxPerTask.accumulateAndGet(count, Math::max);
            maxTotal.accumulateAndGet(live.values().stream().mapToInt(Integer::intValue).sum(), Math::max);
        }

        @Override
        public void domainEvicted(String domain) {
            evictions.incrementAndGet();
        }
    }
}
