package io.adastream.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.adastream.models.metrics.SegmentationConfusion;
import io.adastream.models.task.TaskResult;
import io.adastream.topology.labels.ResultJson;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Scores the demo's predictions against the ground truth the demo kept for each frame: per domain, mIoU of the
 * adapted predictions and of the shadow source-model predictions, and throughput. Everything shown is computed.
 */
public final class Scoreboard {

    private final ResultJson results;
    private final Map<String, DomainScore> domains = new LinkedHashMap<>();
    private final long startNanos = System.nanoTime();

    /** The running score of one domain. */
    static final class DomainScore {
        final String shift;
        final SegmentationConfusion adapted;
        final SegmentationConfusion source;
        long frames;
        double shiftScore;
        long windowStart = System.nanoTime();
        long windowFrames;
        double fps;

        DomainScore(String shift, int classes) {
            this.shift = shift;
            this.adapted = new SegmentationConfusion(classes);
            this.source = new SegmentationConfusion(classes);
        }
    }

    public Scoreboard(List<String> classes, Camera[] cameras) {
        this.results = new ResultJson(true, classes, Long.MAX_VALUE);
        for (Camera c : cameras) {
            domains.put(c.domain(), new DomainScore(c.shiftLabel(), classes.size()));
        }
    }

    /** Scores one prediction record. */
    public synchronized void add(JsonNode prediction, byte[] groundTruth) {
        DomainScore d = domains.get(prediction.get("domain").asText());
        if (d == null) {
            return;
        }
        d.adapted.add(groundTruth, mask(prediction.get("result")));
        if (prediction.hasNonNull("source_result")) {
            d.source.add(groundTruth, mask(prediction.get("source_result")));
        }
        d.frames++;
        d.windowFrames++;
        JsonNode score = prediction.get("adaptation").get("shift_score");
        d.shiftScore = score == null || score.isNull() ? Double.NaN : score.asDouble();
        long now = System.nanoTime();
        if (now - d.windowStart > 2_000_000_000L) {
            d.fps = d.windowFrames / ((now - d.windowStart) / 1e9);
            d.windowStart = now;
            d.windowFrames = 0;
        }
    }

    /** The class mask of a segmentation result (COCO RLE per class), read as the service's labels are. */
    byte[] mask(JsonNode result) {
        return ((TaskResult.Segmentation) results.read(result)).mask();
    }

    public synchronized long totalFrames() {
        return domains.values().stream().mapToLong(d -> d.frames).sum();
    }

    public synchronized long frames(String domain) {
        DomainScore d = domains.get(domain);
        return d == null ? 0 : d.frames;
    }

    /** mIoU of a domain's adapted ({@code true}) or source predictions. */
    public synchronized double meanIoU(String domain, boolean adapted) {
        DomainScore d = domains.get(domain);
        return adapted ? d.adapted.meanIoU() : d.source.meanIoU();
    }

    public synchronized void print(PrintStream out, long deadLetters) {
        double elapsed = (System.nanoTime() - startNanos) / 1e9;
        out.printf(Locale.ROOT, "%n[%5.0fs] %-10s %-18s %7s %6s %10s %10s %7s %7s%n", elapsed, "domain", "shift",
                "frames", "fps", "mIoU adapt", "mIoU src", "gain", "shift");
        domains.forEach((name, d) -> {
            double a = d.adapted.meanIoU();
            double s = d.source.meanIoU();
            // until a 2-second window has passed (a short run), the rate since the start
            double fps = d.fps > 0 ? d.fps : d.frames / Math.max(elapsed, 1e-9);
            out.printf(Locale.ROOT, "        %-10s %-18s %7d %6.1f %10.3f %10.3f %+7.3f %7.2f%n", name, d.shift, d.frames,
                    fps, a, s, a - s, d.shiftScore);
        });
        out.printf(Locale.ROOT, "        total %d frames (%.1f/s overall), %d dead letters%n", totalFrames(),
                totalFrames() / Math.max(elapsed, 1e-9), deadLetters);
    }
}
