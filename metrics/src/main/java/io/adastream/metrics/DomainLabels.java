package io.adastream.metrics;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps the cardinality of the {@code domain} label: the first {@code max} distinct domains get their own label
 * value, every later one is reported as {@link #OTHER}. A domain keeps its label once given (no churn between
 * scrapes); thread-safe.
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
