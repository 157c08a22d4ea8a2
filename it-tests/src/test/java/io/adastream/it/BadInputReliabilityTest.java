package io.adastream.it;

import io.adastream.adapt.stats.DomainState;
import io.adastream.adapt.stats.SnapshotCodec;
import io.adastream.adapt.stats.policy.Policies;
import io.adastream.adapt.testing.TinySegmenter;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reliability, bad input: bad records of every kind the service refuses (keys, images, tensors, control commands),
 * interleaved with a stream of good frames under the same domain ids. None stops the service or touches a domain's
 * statistics; each bad record ends in the dead-letter topic with its reason; the good predictions are exactly the good
 * frames sent.
 */
class BadInputReliabilityTest {

    record Bad(Out record, String expectedReason) {
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void badInputIsDeadLetteredWhileGoodFramesKeepFlowing() throws Exception {
        Figures f = new Figures("3. Bad input while good frames keep flowing");
        boolean passed = false;
        try (Harness h = Harness.start("bad")) {
            h.createTopics("", 2);
            h.createTopics("ref.", 2);

            // a snapshot of another model (same architecture, other weights: another fingerprint) for domain 'victim'
            DomainState foreign = DomainState.fromSource(TinySegmenter.SERVICE.withSeed(99).sourceStatistics(), Policies.defaultPolicy());
            KafkaIO.sendAll(h.bootstrap(), List.of(new Out(Harness.SNAPSHOTS, Out.utf8("victim"),
                    SnapshotCodec.write(foreign), new org.apache.kafka.common.header.internals.RecordHeaders(), "foreign")));

            List<Out> good = new ArrayList<>(Streams.frames(Harness.FRAMES, List.of("good-1", "good-2", "victim"), 100, 3));
            // frames the model can take although they are not 16x16 RGB: grey, RGBA, 40x30, JPEG
            for (int i = 0; i < 4; i++) {
                good.add(Out.frame(Harness.FRAMES, "odd", "odd-grey-" + i, Images.greyPng(100 + i)));
                good.add(Out.frame(Harness.FRAMES, "odd", "odd-rgba-" + i, Images.rgbaPng(200 + i)));
                good.add(Out.frame(Harness.FRAMES, "odd", "odd-40x30-" + i, Images.encode(
                        Images.rgb(300 + i, 40, 30, 90, BufferedImage.TYPE_INT_RGB), "png")));
                good.add(Out.frame(Harness.FRAMES, "odd", "odd-jpeg-" + i, Images.jpeg(400 + i)));
            }
            List<Bad> bad = badRecords();
            List<Out> stream = interleave(good, bad);
            f.line("%d good frames (4 domains, incl. grey, RGBA, 40x30 and JPEG frames) and %d bad records, interleaved",
                    good.size(), bad.size());

            String app = "adastream-bad";
            ServiceProcess svc = h.service("svc", h.config("svc", app, Map.of()));
            svc.start();
            svc.awaitRunning(Duration.ofMinutes(3));
            try (FrameFeeder feeder = new FrameFeeder(h.bootstrap(), stream, 80)) {
                feeder.done().get(5, TimeUnit.MINUTES);
            }
            h.awaitCaughtUp(app, Harness.FRAMES, Duration.ofMinutes(3));
            h.awaitCaughtUp(app, Harness.CONTROL, Duration.ofMinutes(3));
            assertTrue(svc.alive(), "the service must keep running:\n" + svc.tail(30));

            Delivery d = Delivery.read(h, Harness.PREDICTIONS, Streams.ids(good));
            f.line("%s", d.summary());
            Map<String, String> reasons = new TreeMap<>();
            int deadLetters = 0;
            for (ConsumerRecord<byte[], byte[]> r : KafkaIO.readAll(h.bootstrap(), Harness.DEAD_LETTER, true, Duration.ofSeconds(60))) {
                deadLetters++;
                reasons.merge(header(r, "case"), header(r, "error"), (x, y) -> x + "," + y);
            }
            for (Bad b : bad) {
                String c = header(b.record().headers().lastHeader("case"));
                f.line("%-28s -> %s", c, reasons.getOrDefault(c, "NOT IN THE DEAD-LETTER TOPIC"));
            }
            Map<String, DomainState> actual = DomainStats.fromChangelog(h, app);
            svc.stop();

            // reference: the good frames alone, in the same order, through a second application
            KafkaIO.sendAll(h.bootstrap(), good.stream().map(o -> new Out("ref." + Harness.FRAMES, o.key(), o.value(),
                    o.headers(), o.label())).toList());
            String refApp = "adastream-bad-reference";
            ServiceProcess ref = h.service("reference", h.config("reference", refApp, Map.of(
                    "topic.frames", "ref." + Harness.FRAMES, "topic.control", "ref." + Harness.CONTROL,
                    "topic.predictions", "ref." + Harness.PREDICTIONS, "topic.snapshots", "ref." + Harness.SNAPSHOTS,
                    "topic.dead-letter", "ref." + Harness.DEAD_LETTER)));
            ref.start();
            ref.awaitRunning(Duration.ofMinutes(3));
            h.awaitCaughtUp(refApp, "ref." + Harness.FRAMES, Duration.ofMinutes(3));
            Map<String, DomainState> reference = DomainStats.fromChangelog(h, refApp);
            ref.stop();
            double diff = DomainStats.assertEqual(actual, reference, h.source, 1e-12);
            f.line("statistics of the 4 domains vs a run over the good frames alone: largest relative difference %.1e; "
                    + "'victim' (a snapshot of another model waiting on the snapshots topic) started from source: "
                    + "%d frames folded", diff, actual.get("victim").frameCount());
            f.line("service JVM alive throughout, started once; %d records in the dead-letter topic", deadLetters);

            assertTrue(d.exactlyOnce(), d.details());
            assertEquals(good.size(), d.total(), "good predictions = good frames sent");
            assertTrue(d.discontinuities().isEmpty(), d.details());
            for (Bad b : bad) {
                String c = header(b.record().headers().lastHeader("case"));
                assertEquals(b.expectedReason(), reasons.get(c), c);
            }
            assertEquals(bad.size(), deadLetters);
            assertEquals(1, svc.starts());
            assertEquals(100, actual.get("victim").frameCount());
            passed = true;
        } finally {
            f.write(passed);
        }
    }

    static List<Bad> badRecords() {
        List<Bad> out = new ArrayList<>();
        byte[] png = Images.png(1, 50);
        byte[] jpeg = Images.jpeg(2);
        add(out, "zero-length value", Out.frame(Harness.FRAMES, "good-1", "bad-1", new byte[0]), "empty-value");
        add(out, "random bytes", Out.frame(Harness.FRAMES, "good-1", "bad-2", Images.randomBytes(5, 4096)), "unknown-format");
        add(out, "truncated PNG", Out.frame(Harness.FRAMES, "good-2", "bad-3", Images.truncated(png)), "truncated-image");
        add(out, "truncated JPEG", Out.frame(Harness.FRAMES, "good-2", "bad-4", Images.truncated(jpeg)), "truncated-image");
        add(out, "4-channel (CMYK) JPEG", Out.frame(Harness.FRAMES, "good-1", "bad-5", Images.cmykJpeg()), "unsupported-channels");
        add(out, "50-megapixel PNG", Out.frame(Harness.FRAMES, "good-2", "bad-6", Images.zeroPng(8192, 6144, true)), "image-too-large");
        add(out, "decompression bomb", Out.frame(Harness.FRAMES, "good-1", "bad-7", Images.zeroPng(20000, 20000, false)), "image-too-large");
        add(out, "NaN tensor", Out.frame(Harness.FRAMES, "good-2", "bad-8", Images.nanTensor())
                .header("content-type", "application/x-tensor-f32").header("shape", "3,16,16"), "non-finite-input");
        add(out, "missing key", new Out(Harness.FRAMES, null, png, headers("bad-9"), "bad-9"), "missing-key");
        add(out, "10 KB domain id", new Out(Harness.FRAMES, Out.utf8("d".repeat(10 * 1024)), png, headers("bad-10"), "bad-10"),
                "invalid-domain-id");
        add(out, "control characters in id", new Out(Harness.FRAMES, Out.utf8("cam\u0007\n\u0000-1"), png, headers("bad-11"), "bad-11"),
                "invalid-domain-id");
        String[] commands = {"", "not json", "[1, 2]", "{}", "{\"command\": \"explode\"}", "{\"command\": \"set-policy\"}",
                "{\"command\": \"set-policy\", \"policy\": \"ema\", \"parameters\": [1]}"};
        for (int i = 0; i < commands.length; i++) {
            add(out, "control command '" + commands[i] + "'", new Out(Harness.CONTROL, Out.utf8(i % 2 == 0 ? "good-1" : "good-2"),
                    commands[i].getBytes(StandardCharsets.UTF_8), headers("ctl-" + i), "ctl-" + i), "bad-control-command");
        }
        return out;
    }

    private static void add(List<Bad> out, String name, Out record, String reason) {
        record.header("case", name);
        out.add(new Bad(record, reason));
    }

    private static org.apache.kafka.common.header.internals.RecordHeaders headers(String frameId) {
        org.apache.kafka.common.header.internals.RecordHeaders h = new org.apache.kafka.common.header.internals.RecordHeaders();
        h.add("frame-id", Out.utf8(frameId));
        return h;
    }

    /** Spreads the bad records evenly through the good stream (after the first few good frames). */
    static List<Out> interleave(List<Out> good, List<Bad> bad) {
        List<Out> out = new ArrayList<>();
        int step = Math.max(1, good.size() / (bad.size() + 1));
        int b = 0;
        for (int i = 0; i < good.size(); i++) {
            out.add(good.get(i));
            if (i > 0 && i % step == 0 && b < bad.size()) {
                out.add(bad.get(b++).record());
            }
        }
        while (b < bad.size()) {
            out.add(bad.get(b++).record());
        }
        return out;
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        return header(r.headers().lastHeader(name));
    }

    private static String header(Header h) {
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
