package io.adastream.it;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a read_committed consumer of the predictions topic sees, read whole at the end: every frame id's count,
 * and per domain whether the adaptation state moved on by one frame per prediction (state carried over every
 * crash, move or outage: {@code adaptation.version} is 1, 2, 3, ... in the domain's order, since every frame a
 * domain observes changes its state once and these streams carry no control commands). {@code frames} is not that
 * invariant: it counts frames folded, and a frame the shift detector holds or skips as a spike is not folded.
 */
record Delivery(int expected, int distinct, int total, List<String> missing, List<String> duplicated,
                List<String> unexpected, List<String> discontinuities,
                Map<String, PredictionCollector.Prediction> byFrameId) {

    static Delivery read(Harness h, String topic, Collection<String> expectedIds) {
        List<ConsumerRecord<byte[], byte[]>> records = KafkaIO.readAll(h.bootstrap(), topic, true, Duration.ofSeconds(90));
        Map<String, Integer> counts = new HashMap<>();
        Map<String, List<PredictionCollector.Prediction>> byDomain = new LinkedHashMap<>();
        Map<String, PredictionCollector.Prediction> byFrameId = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            PredictionCollector.Prediction p = PredictionCollector.parse(r, 0, 0);
            counts.merge(p.frameId(), 1, Integer::sum);
            byFrameId.put(p.frameId(), p);
            byDomain.computeIfAbsent(p.domain(), d -> new ArrayList<>()).add(p);
        }
        Set<String> want = new HashSet<>(expectedIds);
        List<String> missing = expectedIds.stream().filter(id -> !counts.containsKey(id)).toList();
        List<String> duplicated = counts.entrySet().stream().filter(e -> e.getValue() > 1)
                .map(e -> e.getKey() + " x" + e.getValue()).toList();
        List<String> unexpected = counts.keySet().stream().filter(id -> !want.contains(id)).toList();
        List<String> gaps = new ArrayList<>();
        byDomain.forEach((domain, list) -> {
            for (int i = 0; i < list.size(); i++) {
                if (list.get(i).version() != i + 1) {
                    gaps.add(domain + ": prediction " + (i + 1) + " (" + list.get(i).frameId() + ") was made at "
                            + "state version " + list.get(i).version());
                    break;
                }
            }
        });
        return new Delivery(expectedIds.size(), counts.size(), records.size(), missing, duplicated, unexpected, gaps,
                byFrameId);
    }

    /**
     * The frames whose prediction was made with other adaptation state (version, frames folded, outcome) than in
     * the reference run, as "frame: this vs reference"; empty when every prediction matches.
     */
    List<String> adaptationDifferences(Delivery reference) {
        List<String> out = new ArrayList<>();
        reference.byFrameId.forEach((id, ref) -> {
            PredictionCollector.Prediction p = byFrameId.get(id);
            if (p == null || !p.adaptation().equals(ref.adaptation())) {
                out.add(id + ": " + (p == null ? "no prediction" : p.adaptation()) + " vs " + ref.adaptation());
            }
        });
        out.sort(null);
        return out;
    }

    /** The frames whose predicted result (mask or boxes) differs from the reference run's, as "frame: outcome". */
    List<String> resultDifferences(Delivery reference) {
        List<String> out = new ArrayList<>();
        reference.byFrameId.forEach((id, ref) -> {
            PredictionCollector.Prediction p = byFrameId.get(id);
            if (p == null || !p.result().equals(ref.result())) {
                out.add(id + ": " + (p == null ? "no prediction" : p.outcome()) + " vs " + ref.outcome());
            }
        });
        out.sort(null);
        return out;
    }

    /** How many predictions had each outcome (folded, held, spike-skipped, ...). */
    Map<String, Long> outcomes() {
        Map<String, Long> out = new java.util.TreeMap<>();
        byFrameId.values().forEach(p -> out.merge(p.outcome(), 1L, Long::sum));
        return out;
    }

    boolean exactlyOnce() {
        return missing.isEmpty() && duplicated.isEmpty() && unexpected.isEmpty() && total == expected;
    }

    String summary() {
        return String.format("%d frames sent, %d predictions read (read_committed), %d distinct frame ids, "
                        + "%d missing, %d duplicated, %d unexpected, %d domains with a break in their frame count",
                expected, total, distinct, missing.size(), duplicated.size(), unexpected.size(), discontinuities.size());
    }

    String details() {
        return "missing " + head(missing) + ", duplicated " + head(duplicated) + ", unexpected " + head(unexpected)
                + ", breaks " + head(discontinuities);
    }

    private static List<String> head(List<String> l) {
        return l.subList(0, Math.min(10, l.size()));
    }
}
