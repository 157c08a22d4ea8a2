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
 * crash, move or outage: {@code adaptation.frames} is 1, 2, 3, ... in the domain's order).
 */
record Delivery(int expected, int distinct, int total, List<String> missing, List<String> duplicated,
                List<String> unexpected, List<String> discontinuities) {

    static Delivery read(Harness h, String topic, Collection<String> expectedIds) {
        List<ConsumerRecord<byte[], byte[]>> records = KafkaIO.readAll(h.bootstrap(), topic, true, Duration.ofSeconds(90));
        Map<String, Integer> counts = new HashMap<>();
        Map<String, List<PredictionCollector.Prediction>> byDomain = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            PredictionCollector.Prediction p = PredictionCollector.parse(r, 0, 0);
            counts.merge(p.frameId(), 1, Integer::sum);
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
                if (list.get(i).framesSeen() != i + 1) {
                    gaps.add(domain + ": prediction " + (i + 1) + " (" + list.get(i).frameId() + ") says "
                            + list.get(i).framesSeen() + " frames seen");
                    break;
                }
            }
        });
        return new Delivery(expectedIds.size(), counts.size(), records.size(), missing, duplicated, unexpected, gaps);
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
