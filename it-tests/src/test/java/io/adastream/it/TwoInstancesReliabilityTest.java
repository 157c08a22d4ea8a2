package io.adastream.it;

import io.adastream.adapt.stats.DomainState;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reliability, fail-over: two service instances (child JVMs, one application id) on a 4-partition frames topic. One is
 * stopped mid-stream: its domains move to the other with their statistics (restored from the changelog), nothing is
 * lost or duplicated; the fail-over time is reported. It is started again and the rebalance time reported.
 */
class TwoInstancesReliabilityTest {

    static final int PARTITIONS = 4;
    static final int PER_DOMAIN = 300;
    static final double RATE = 60;

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void domainsMoveWithTheirStatisticsWhenAnInstanceStopsAndComesBack() throws Exception {
        Figures f = new Figures("2. Two instances: stop one mid-stream, start it again");
        boolean passed = false;
        try (Harness h = Harness.start("two")) {
            h.createTopics("", PARTITIONS);
            List<String> domains = twoPerPartition();
            List<Out> frames = Streams.frames(Harness.FRAMES, domains, PER_DOMAIN, 7);
            int n = frames.size();
            f.line("%d frames over %d domains (2 per partition) on %d partitions, offered at %.0f frames/s",
                    n, domains.size(), PARTITIONS, RATE);
            String app = "adastream-two";
            ServiceProcess a = h.service("svc-a", h.config("svc-a", app, Harness.BATCHING));
            ServiceProcess b = h.service("svc-b", h.config("svc-b", app, Harness.BATCHING));
            f.line("both instances with batching on: %s; the reference run below without (1 thread, batch 1)", Harness.BATCHING);
            a.start();
            b.start();
            a.awaitRunning(Duration.ofMinutes(3));
            b.awaitRunning(Duration.ofMinutes(3));
            try (Admin admin = Admin.create(KafkaIO.adminProperties(h.bootstrap()))) {
                await("both instances to own partitions").atMost(Duration.ofMinutes(2)).until(() -> owned(admin, app, "svc-a").size()
                        + owned(admin, app, "svc-b").size() == PARTITIONS && !owned(admin, app, "svc-b").isEmpty()
                        && !owned(admin, app, "svc-a").isEmpty());
                Set<Integer> ofB = owned(admin, app, "svc-b");
                List<String> domainsOfB = domains.stream().filter(d -> ofB.contains(KafkaIO.partitionOf(d, PARTITIONS))).toList();
                f.line("svc-a owns partitions %s, svc-b owns %s (domains %s)", owned(admin, app, "svc-a"), ofB, domainsOfB);

                PredictionCollector predictions = h.own(new PredictionCollector(h.bootstrap(), Harness.PREDICTIONS));
                FrameFeeder feeder = h.own(new FrameFeeder(h.bootstrap(), frames, RATE));

                // stop svc-b mid-stream (SIGTERM: a clean shutdown, as an operator or an orchestrator does)
                predictions.awaitDistinct(n / 3, Duration.ofMinutes(3));
                int beforeStop = predictions.distinct();
                long stopAt = System.nanoTime();
                double shutdown = b.stop();
                long exitedAt = System.nanoTime();
                Map<String, Integer> countAtExit = new java.util.HashMap<>();
                predictions.byDomain().forEach((d, l) -> countAtExit.put(d, l.size()));
                await("svc-a to own every partition").atMost(Duration.ofMinutes(2))
                        .until(() -> owned(admin, app, "svc-a").size() == PARTITIONS);
                double reassigned = Elapsed.seconds(System.nanoTime() - stopAt);
                await("predictions of every domain of svc-b from svc-a").atMost(Duration.ofMinutes(2)).until(() -> {
                    Map<String, List<PredictionCollector.Prediction>> now = predictions.byDomain();
                    return domainsOfB.stream().allMatch(d -> now.getOrDefault(d, List.of()).size() > countAtExit.getOrDefault(d, 0));
                });
                double failover = 0;
                for (String d : domainsOfB) {
                    PredictionCollector.Prediction first = predictions.byDomain().get(d).get(countAtExit.getOrDefault(d, 0));
                    failover = Math.max(failover, Elapsed.seconds(first.arrivalNanos() - stopAt));
                }
                f.line("svc-b stopped after %d committed predictions; clean shutdown took %.1f s", beforeStop, shutdown);
                f.line("fail-over: svc-a owns all %d partitions %.1f s after the stop; every domain of svc-b predicted "
                        + "again (by svc-a, state restored from the changelog) %.1f s after the stop", PARTITIONS, reassigned, failover);

                // start svc-b again
                predictions.awaitDistinct(2 * n / 3, Duration.ofMinutes(3));
                long restartAt = System.nanoTime();
                b.start();
                double running = b.awaitRunning(Duration.ofMinutes(3));
                await("svc-b to own partitions again").atMost(Duration.ofMinutes(3))
                        .until(() -> owned(admin, app, "svc-b").size() > 0 && owned(admin, app, "svc-a").size() < PARTITIONS);
                double rebalanced = Elapsed.seconds(System.nanoTime() - restartAt);
                long longestGap = longestGapMs(predictions, restartAt, System.nanoTime() + 0);
                f.line("rebalance: svc-b RUNNING %.1f s after its JVM was launched, owns %s (svc-a %s) %.1f s after launch; "
                        + "longest pause between two committed predictions meanwhile %d ms",
                        running, owned(admin, app, "svc-b"), owned(admin, app, "svc-a"), rebalanced, longestGap);

                feeder.done().get(5, TimeUnit.MINUTES);
                h.awaitCaughtUp(app, Harness.FRAMES, Duration.ofMinutes(5));
                Delivery d = Delivery.read(h, Harness.PREDICTIONS, Streams.ids(frames));
                f.line("%s", d.summary());
                Map<String, DomainState> moved = DomainStats.fromChangelog(h, app);
                a.stop();
                b.stop();
                f.line("batches at the clean stops, by frames per batch: svc-a %s, svc-b %s",
                        Harness.batchesLine(a.logText()), Harness.batchesLine(b.logText()));

                h.createTopics("ref.", PARTITIONS);
                String refApp = "adastream-two-reference";
                ServiceProcess ref = h.service("reference", h.config("reference", refApp, Map.of(
                        "topic.predictions", "ref." + Harness.PREDICTIONS,
                        "topic.snapshots", "ref." + Harness.SNAPSHOTS,
                        "topic.dead-letter", "ref." + Harness.DEAD_LETTER)));
                ref.start();
                ref.awaitRunning(Duration.ofMinutes(3));
                h.awaitCaughtUp(refApp, Harness.FRAMES, Duration.ofMinutes(5));
                Map<String, DomainState> reference = DomainStats.fromChangelog(h, refApp);
                ref.stop();

                assertTrue(d.exactlyOnce(), d.details());
                assertTrue(d.discontinuities().isEmpty(), d.details());
                assertFalse(domainsOfB.isEmpty());
                double diff = DomainStats.assertEqual(moved, reference, h.source, 1e-4);
                f.line("statistics after the moves vs one uninterrupted instance: %d domains, largest relative "
                        + "difference %.2e", moved.size(), diff);
                assertEquals(n, moved.values().stream().mapToLong(DomainState::frameCount).sum());
                passed = true;
            }
        } finally {
            f.write(passed);
        }
    }

    /** Two domain ids per partition (by the default partitioner), so that every instance owns domains. */
    static List<String> twoPerPartition() {
        List<String> out = new ArrayList<>();
        int[] per = new int[PARTITIONS];
        for (int i = 1; out.size() < 2 * PARTITIONS; i++) {
            String d = "site-" + i;
            int p = KafkaIO.partitionOf(d, PARTITIONS);
            if (per[p] < 2) {
                per[p]++;
                out.add(d);
            }
        }
        return out;
    }

    static Set<Integer> owned(Admin admin, String app, String client) {
        try {
            return KafkaIO.ownedPartitions(admin, app, client, Harness.FRAMES);
        } catch (Exception e) {
            return Set.of();
        }
    }

    /** The longest interval between consecutive prediction arrivals (all domains) in the window. */
    static long longestGapMs(PredictionCollector predictions, long from, long to) {
        List<Long> arrivals = new ArrayList<>();
        predictions.byDomain().values().forEach(l -> l.forEach(p -> arrivals.add(p.arrivalNanos())));
        arrivals.sort(null);
        long gap = 0;
        long prev = from;
        for (long t : arrivals) {
            if (t < from) {
                continue;
            }
            if (t > to) {
                break;
            }
            gap = Math.max(gap, t - prev);
            prev = t;
        }
        return gap / 1_000_000;
    }
}
