package io.adastream.metrics;

/**
 * One live domain as {@code GET /domains} lists it: its adaptation state in numbers and strings, and the instance
 * ({@code host:port}, or empty when unknown) whose task holds it.
 */
public record DomainSummary(String domain, long frames, long version, String policy, boolean frozen, int segments,
                            long lastSeenMillis, int stateBytes, String instance) {

    String toJson() {
        return new Json.ObjectWriter()
                .field("domain", domain)
                .field("frames", frames)
                .field("version", version)
                .field("policy", policy)
                .field("frozen", frozen)
                .field("segments", segments)
                .field("last_seen_ms", lastSeenMillis)
                .field("state_bytes", stateBytes)
                .field("instance", instance)
                .toString();
    }
}
