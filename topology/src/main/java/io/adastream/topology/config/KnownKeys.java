package io.adastream.topology.config;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

import java.util.Set;
import java.util.TreeSet;

/**
 * Which configuration keys exist: AdaStream's own ({@link Keys}), {@code policy.*} parameters, anything with a
 * {@code kafka.} or {@code streams.} prefix, {@code sasl.*} and {@code ssl.*}, and the names that Kafka's own
 * {@link org.apache.kafka.common.config.ConfigDef}s define for Streams, consumers, producers and admin clients.
 * An unknown key gets the closest known one as a suggestion.
 */
final class KnownKeys {
    private static final Set<String> PREFIXES = Set.of(Keys.POLICY + ".", "kafka.", "streams.", "sasl.", "ssl.");
    private static final Set<String> OWN = new TreeSet<>(Keys.ALL);
    private static final Set<String> KAFKA = kafkaNames();

    private KnownKeys() {
    }

    /** Kafka's client and Streams setting names, passed to Kafka as they are. */
    static boolean isKafka(String key) {
        return KAFKA.contains(key);
    }

    static boolean known(String key) {
        return OWN.contains(key) || KAFKA.contains(key) || PREFIXES.stream().anyMatch(key::startsWith);
    }

    /** "unknown setting 'k'" and, when a known key is a few edits away, "(did you mean 'x'?)"; {@code where} may be empty. */
    static String unknown(String key, String where) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (Set<String> names : java.util.List.of(OWN, KAFKA)) {
            for (String name : names) {
                int d = distance(key, name);
                if (d < bestDistance) {
                    bestDistance = d;
                    best = name;
                }
            }
        }
        int allowed = Math.max(1, Math.min(3, key.length() / 5));
        String message = "unknown setting '" + key + "'" + where;
        return best != null && bestDistance <= allowed ? message + " (did you mean '" + best + "'?)" : message;
    }

    private static Set<String> kafkaNames() {
        Set<String> names = new TreeSet<>(StreamsConfig.configDef().names());
        names.addAll(ConsumerConfig.configNames());
        names.addAll(ProducerConfig.configNames());
        names.addAll(AdminClientConfig.configNames());
        return names;
    }

    /** The Levenshtein distance (insertions, deletions, substitutions). */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
    }
}
