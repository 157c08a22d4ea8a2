package io.adastream.metrics;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps the cardinality of the {@code domain} label: up to {@code max} domains at a time get their own label value,
 * any other is reported as {@link #OTHER}. A domain keeps its label while it is live (no churn between scrapes) and
 * frees it with {@link #release} when it leaves (evicted, or its partition moved away), so a new domain can take
 * it; thread-safe.
 */
public final class DomainLabels {

    /** The label value that aggregates the domains past the cap. */
    public static final String OTHER = "_other";

    private final int max;
    private final ConcurrentHashMap<String, Boolean> admitted = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();

    public DomainLabels(int max) {
        if (max < 0) {
            throw new IllegalArgumentException("max must be >= 0, got " + max);
        }
        this.max = max;
    }

    /** The label value for a domain: the domain itself while under the cap (or already admitted), else {@link #OTHER}. */
    public String of(String domain) {
        Boolean own = admitted.get(domain);
        if (own != null) {
            return domain;
        }
        if (count.get() >= max) {
            return OTHER;
        }
        synchronized (this) {
            if (admitted.containsKey(domain)) {
                return domain;
            }
            if (count.get() >= max) {
                return OTHER;
            }
            admitted.put(domain, Boolean.TRUE);
            count.incrementAndGet();
            return domain;
        }
    }

    /** Frees the domain's own label value, if it has one; returns whether it had. */
    public synchronized boolean release(String domain) {
        if (admitted.remove(domain) == null) {
            return false;
        }
        count.decrementAndGet();
        return true;
    }

    /** True when the domain has its own label value. */
    public boolean hasOwnLabel(String domain) {
        return admitted.containsKey(domain);
    }

    /** How many domains have their own label value. */
    public int size() {
        return count.get();
    }

    public int max() {
        return max;
    }
}
