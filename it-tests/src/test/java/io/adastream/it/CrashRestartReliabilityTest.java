package io.adastream.it;

import io.adastream.adapt.stats.DomainState;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reliability, crash and restart: the service in a child JVM is killed with kill -9 at random points while frames of
 * several domains stream in, and restarted each time. A read_committed consumer sees every frame id exactly once, and
 * after the last restart every domain's statistics equal those of an uninterrupted run over the same frames (same
 * topic, so each domain's frames come in the same order) within float tolerance, with state.write.every.frames=1, and
 * every prediction was made with the same adaptation state (version, frames folded, outcome) as in that run.
 */
class CrashRestartReliabilityTest {

    static final int DOMAINS = 5;
    static final int PER_DOMAIN = 440;
    static final double RATE = 60;
    /** Statistics are stored as float32 (the default state.precision): each restart re-reads them rounded. */
    static final double TOLERANCE = 1e-4;
    /** Both runs serve stable domains with the two-tier path (baked model, every K-th frame adaptive); the crashed one batches too. */
    static final Map<String, String> TWO_TIER = Map.of("inference.two.tier", "true");

    /**
     * Run twice: with the two-tier path alone, where every prediction's mask must equal the uninterrupted run's; and
     * with batching on as well, where only the adaptation states and statistics are compared exactly: batched and
     * single-frame ONNX Runtime runs round differently in the last bits, so a few pixels of a baked mask may flip.
     */
    @ParameterizedTest(name = "batching {0}")
    @ValueSource(booleans = {false, true})
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void killNineAtRandomPointsLosesAndDuplicatesNothing(boolean batching) throws Exception {
        Figures f = new Figures("1. Crash and restart: kill -9 of the service JVM at random points"
                + (batching ? ", batching and the two-tier path on" : ", the two-tier path on"));
        boolean passed = false;
        long seed = Long.getLong("reliability.seed", System.currentTimeMillis());
        int kills = Integer.getInteger("reliability.kills", 4);
        Random random = new Random(seed);
        try (Harness h = Harness.start("crash")) {
            h.createTopics("", 2);
            List<String> domains = Streams.domains("cam-", DOMAINS);
            List<Out> frames = Streams.frames(Harness.FRAMES, domains, PER_DOMAIN, seed);
            int n = frames.size();
            f.line("%d frames over %d domains on 2 partitions, offered at %.0f frames/s; seed %d (-Dreliability.seed)",
                    n, DOMAINS, RATE, seed);

            String app = "adastream-crash";
            Map<String, String> settings = new java.util.HashMap<>(batching ? Harness.BATCHING : Map.of());
            settings.putAll(TWO_TIER);
            ServiceProcess svc = h.service("svc", h.config("svc", app, settings));
            f.line("service settings: %s; the reference run below with the two-tier path only (1 thread, batch 1)",
                    settings);
            svc.start();
            f.line("service JVM up (RUNNING) in %.1f s", svc.awaitRunning(Duration.ofMinutes(3)));
            PredictionCollector predictions = h.own(new PredictionCollector(h.bootstrap(), Harness.PREDICTIONS));
            FrameFeeder feeder = h.own(new FrameFeeder(h.bootstrap(), frames, RATE));

            List<Double> restartSeconds = new ArrayList<>();
            List<Double> resumeSeconds = new ArrayList<>();
            for (int k = 0; k < kills; k++) {
                int threshold = (int) ((k + 0.2 + 0.6 * random.nextDouble()) * n / (kills + 1));
                predictions.awaitDistinct(threshold, Duration.ofMinutes(3));
                // a random point inside the commit interval and the transaction, not only at a threshold
                LockSupport.parkNanos(random.nextInt(400) * 1_000_000L);
                int seen = predictions.distinct();
                svc.kill();
                long killed = System.nanoTime();
                f.line("kill -9 #%d after %d committed predictions (%d frames sent)", k + 1, seen, feeder.sent());
                svc.start();
                svc.awaitRunning(Duration.ofMinutes(3));
                restartSeconds.add(Elapsed.seconds(System.nanoTime() - killed));
                int before = predictions.distinct();
                if (before < n) {
                    await("a new prediction after restart " + (k + 1)).atMost(Duration.ofMinutes(2))
                            .until(() -> predictions.distinct() > before || predictions.distinct() >= n);
                }
                resumeSeconds.add(Elapsed.seconds(System.nanoTime() - killed));
            }
            f.line("kill to RUNNING again: %s s; kill to the next committed prediction: %s s",
                    fmt(restartSeconds), fmt(resumeSeconds));
            feeder.done().get(5, TimeUnit.MINUTES);
            h.awaitCaughtUp(app, Harness.FRAMES, Duration.ofMinutes(5));
            Delivery d = Delivery.read(h, Harness.PREDICTIONS, Streams.ids(frames));
            f.line("%s", d.summary());
            Map<String, DomainState> crashed = DomainStats.fromChangelog(h, app);
            svc.stop();
            f.line("batches of the service's last start, by frames per batch: %s", Harness.batchesLine(svc.logText()));

            // the uninterrupted run: a second application over the same frames topic, its own output topics
            h.createTopics("ref.", 2);
            String refApp = "adastream-reference";
            ServiceProcess ref = h.service("reference", h.config("reference", refApp, Map.of(
                    "inference.two.tier", "true",
                    "topic.predictions", "ref." + Harness.PREDICTIONS,
                    "topic.snapshots", "ref." + Harness.SNAPSHOTS,
                    "topic.dead-letter", "ref." + Harness.DEAD_LETTER)));
            long t0 = System.nanoTime();
            ref.start();
            ref.awaitRunning(Duration.ofMinutes(3));
            h.awaitCaughtUp(refApp, Harness.FRAMES, Duration.ofMinutes(5));
            f.line("uninterrupted reference run over the same %d frames: %.1f s", n, Elapsed.seconds(System.nanoTime() - t0));
            Map<String, DomainState> reference = DomainStats.fromChangelog(h, refApp);
            Delivery refDelivery = Delivery.read(h, "ref." + Harness.PREDICTIONS, Streams.ids(frames));
            ref.stop();
            List<String> differences = d.adaptationDifferences(refDelivery);
            f.line("every prediction's adaptation state (version, frames folded, outcome) vs the uninterrupted run: "
                    + "%d of %d differ; outcomes %s (two-tier path on: baked = on the domain's baked model)",
                    differences.size(), n, refDelivery.outcomes());
            List<String> resultDifferences = d.resultDifferences(refDelivery);
            f.line("every prediction's result (the mask) vs the uninterrupted run: %d of %d differ%s",
                    resultDifferences.size(), n, resultDifferences.isEmpty() ? ""
                            : " (first: " + resultDifferences.subList(0, Math.min(5, resultDifferences.size())) + ")");

            assertTrue(d.exactlyOnce(), d.details());
            assertTrue(d.discontinuities().isEmpty(), d.details());
            assertTrue(refDelivery.exactlyOnce(), "reference run: " + refDelivery.details());
            assertTrue(differences.isEmpty(), "first differences: " + differences.subList(0, Math.min(5, differences.size())));
            if (!batching) {
                assertTrue(resultDifferences.isEmpty(), "first result differences: "
                        + resultDifferences.subList(0, Math.min(5, resultDifferences.size())));
            }
            assertEquals(kills, svc.starts() - 1);
            double diff = DomainStats.assertEqual(crashed, reference, h.source, TOLERANCE);
            long folded = crashed.values().stream().mapToLong(DomainState::frameCount).sum();
            long versions = crashed.values().stream().mapToLong(DomainState::version).sum();
            f.line("statistics after the last restart vs the uninterrupted run: %d domains, %d frames observed, "
                    + "%d folded, largest relative difference %.2e (tolerance %.0e; state.precision=float32)",
                    crashed.size(), versions, folded, diff, TOLERANCE);
            assertEquals(n, versions);
            passed = true;
        } finally {
            f.write(passed);
        }
    }

    static String fmt(List<Double> values) {
        return values.stream().map(v -> String.format(java.util.Locale.ROOT, "%.1f", v)).toList().toString();
    }
}
