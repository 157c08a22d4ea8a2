package io.adastream.it;

import io.adastream.adapt.stats.DomainState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reliability, broker outage: the broker (a child JVM) is stopped for 30 s mid-stream and started again on the same
 * directory and port. The service, left alone, recovers by itself (same JVM, no restart); nothing is lost or
 * duplicated.
 */
class BrokerOutageReliabilityTest {

    static final int PER_DOMAIN = 400;
    static final double RATE = 40;

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void serviceRidesOutAThirtySecondBrokerOutage() throws Exception {
        Figures f = new Figures("4. Broker outage: the broker stopped for 30 s mid-stream");
        boolean passed = false;
        Duration outage = Duration.ofSeconds(Long.getLong("reliability.outage.seconds", 30));
        try (Harness h = Harness.start("outage")) {
            h.createTopics("", 2);
            List<Out> frames = Streams.frames(Harness.FRAMES, Streams.domains("cam-", 4), PER_DOMAIN, 11);
            int n = frames.size();
            f.line("%d frames over 4 domains on 2 partitions, offered at %.0f frames/s", n, RATE);
            String app = "adastream-outage";
            ServiceProcess svc = h.service("svc", h.config("svc", app, Map.of()));
            svc.start();
            svc.awaitRunning(Duration.ofMinutes(3));
            PredictionCollector predictions = h.own(new PredictionCollector(h.bootstrap(), Harness.PREDICTIONS));
            FrameFeeder feeder = h.own(new FrameFeeder(h.bootstrap(), frames, RATE));

            predictions.awaitDistinct(n / 3, Duration.ofMinutes(3));
            int before = predictions.distinct();
            long t0 = System.nanoTime();
            h.kafka.stop();
            double stopping = Elapsed.seconds(System.nanoTime() - t0);
            f.line("broker stopped (controlled shutdown, %.1f s) after %d committed predictions, %d frames sent",
                    stopping, before, feeder.sent());
            long down = System.nanoTime();
            // the outage itself: the broker stays down for a fixed time, whatever the service does meanwhile
            await("the service JVM alive through the outage").during(outage).atMost(outage.plusSeconds(30))
                    .untilAsserted(() -> assertTrue(svc.alive(), "the service JVM exited during the outage:\n" + svc.tail(40)));
            int during = predictions.distinct();
            h.kafka.start();
            long up = System.nanoTime();
            f.line("broker unreachable for %.1f s (%d s stopped, then a restart on the same directory and port in %.1f s)",
                    Elapsed.seconds(up - down), outage.toSeconds(), h.kafka.lastStartupTime().toMillis() / 1000.0);
            await("a new prediction after the broker came back").atMost(Duration.ofMinutes(5))
                    .untilAsserted(() -> assertTrue(predictions.distinct() > during, () -> "service log:\n" + svc.tail(20)));
            f.line("first new committed prediction %.1f s after the broker was back (the service was not restarted)",
                    Elapsed.seconds(System.nanoTime() - up));
            feeder.done().get(5, TimeUnit.MINUTES);
            h.awaitCaughtUp(app, Harness.FRAMES, Duration.ofMinutes(5));
            assertTrue(svc.alive(), "the service JVM exited:\n" + svc.tail(40));
            Delivery d = Delivery.read(h, Harness.PREDICTIONS, Streams.ids(frames));
            f.line("%s", d.summary());
            String log = svc.allLogs();
            long threadFailures = log.lines().filter(l -> l.contains("state: RUNNING -> ERROR") || l.contains("PENDING_ERROR")).count();
            Map<String, DomainState> after = DomainStats.fromChangelog(h, app);
            svc.stop();

            h.createTopics("ref.", 2);
            String refApp = "adastream-outage-reference";
            ServiceProcess ref = h.service("reference", h.config("reference", refApp, Map.of(
                    "topic.predictions", "ref." + Harness.PREDICTIONS,
                    "topic.snapshots", "ref." + Harness.SNAPSHOTS,
                    "topic.dead-letter", "ref." + Harness.DEAD_LETTER)));
            ref.start();
            ref.awaitRunning(Duration.ofMinutes(3));
            h.awaitCaughtUp(refApp, Harness.FRAMES, Duration.ofMinutes(5));
            Map<String, DomainState> reference = DomainStats.fromChangelog(h, refApp);
            ref.stop();
            double diff = DomainStats.assertEqual(after, reference, h.source, 1e-4);
            f.line("service JVM started once, never in ERROR (%d ERROR transitions); statistics vs an uninterrupted run: "
                    + "largest relative difference %.2e", threadFailures, diff);

            assertTrue(d.exactlyOnce(), d.details());
            assertTrue(d.discontinuities().isEmpty(), d.details());
            assertEquals(1, svc.starts());
            assertEquals(0, threadFailures);
            passed = true;
        } finally {
            f.write(passed);
        }
    }
}
