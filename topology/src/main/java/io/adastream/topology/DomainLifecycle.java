package io.adastream.topology;

import io.adastream.adapt.stats.DomainAdapter;
import io.adastream.adapt.stats.DomainState;
import io.adastream.adapt.stats.SnapshotCodec;
import io.adastream.adapt.stats.SnapshotFormatException;
import io.adastream.adapt.stats.SourceStatistics;
import io.adastream.adapt.stats.policy.AdaptationPolicy;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Which domains are live in a task and where a domain's state comes from: restored from the domain-state store,
 * created (its own kept state, a warm start from its snapshot, or source), and evicted, least recently seen first,
 * when the task is at its cap. An evicted domain's last state stays in the store, flagged, until the global
 * snapshot store has read its eviction snapshot.
 */
final class DomainLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(DomainLifecycle.class);

    private final KeyValueStore<String, byte[]> store;
    private final DomainSnapshots snapshots;
    private final DomainAdapter adapter;
    private final SourceStatistics source;
    private final Supplier<AdaptationPolicy> defaultPolicy;
    private final int maxDomains;
    private final boolean evictWhenFull;
    private final ServiceMetrics metrics;
    private final String taskName;
    private final LiveDomains live = new LiveDomains();
    /**
     * Domains evicted from this task whose eviction snapshot the global snapshot store may not have read yet: their
     * last state stays in the domain store (flagged evicted) until it has, so a domain that returns sooner resumes
     * from its own last state, never from an older snapshot.
     */
    private final Set<String> evictedPending = new HashSet<>();

    DomainLifecycle(KeyValueStore<String, byte[]> store, DomainSnapshots snapshots, DomainAdapter adapter,
                    SourceStatistics source, Supplier<AdaptationPolicy> defaultPolicy, int maxDomains,
                    boolean evictWhenFull, ServiceMetrics metrics, String taskName) {
        this.store = store;
        this.snapshots = snapshots;
        this.adapter = adapter;
        this.source = source;
        this.defaultPolicy = defaultPolicy;
        this.maxDomains = maxDomains;
        this.evictWhenFull = evictWhenFull;
        this.metrics = metrics;
        this.taskName = taskName;
    }

    /**
     * Rebuilds the recency order of the live domains in the store (states are decoded lazily) and the set of evicted
     * domains still waiting for the snapshots topic. Starts from scratch: a task revived after an aborted
     * transaction must forget what it had in memory and trust only the restored store.
     */
    void restore() {
        live.clear();
        evictedPending.clear();
        List<KeyValue<String, Long>> entries = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                if (StoredDomain.isEvicted(kv.value)) {
                    evictedPending.add(kv.key);
                } else {
                    entries.add(KeyValue.pair(kv.key, StoredDomain.lastSeen(kv.value)));
                }
            }
        }
        if (!snapshots.warmStartEnabled()) {
            // warm start is off now: an evicted domain will start from source, its kept state is of no use
            evictedPending.forEach(store::delete);
            evictedPending.clear();
        }
        entries.sort(Comparator.comparingLong(kv -> kv.value));
        for (KeyValue<String, Long> kv : entries) {
            live.add(kv.key, new LiveDomains.Entry(null, kv.value));
        }
        metrics.liveDomains(taskName, live.size());
    }

    /** The live domain's entry with its state loaded, marked as most recently seen; null if it is not live here. */
    LiveDomains.Entry live(String domain) {
        LiveDomains.Entry entry = live.touch(domain);
        if (entry != null && entry.state == null) {
            entry.state = loadFromStore(domain);
            loadTier(domain, entry);
        }
        return entry;
    }

    int size() {
        return live.size();
    }

    Iterable<Map.Entry<String, LiveDomains.Entry>> all() {
        return live.all();
    }

    /** Whether a domain that is not live here has state it could come back with: kept after eviction, or a snapshot. */
    boolean hasStateElsewhere(String domain) {
        return evictedPending.contains(domain) || snapshots.published(domain) != null;
    }

    /** Whether {@link #makeRoom} would succeed (below the cap, or the eldest can be evicted); evicts nothing. */
    boolean canMakeRoom() {
        return live.size() < maxDomains || (evictWhenFull && live.eldest() != null);
    }

    /** Makes room for one more live domain, evicting the eldest if the task is full; false if it cannot. */
    boolean makeRoom() {
        return live.size() < maxDomains || evictEldest();
    }

    /**
     * The entry of a domain about to become live here (not yet live, see {@link #add}): its own last state if it was
     * evicted from this task so recently that the snapshots topic may not have it yet; else its latest snapshot when
     * warm start is on and it is readable; else source.
     */
    LiveDomains.Entry newEntry(String domain, long lastSeen) {
        DomainState state = evictedPending.contains(domain) ? loadFromStore(domain) : snapshots.warmStart(domain);
        return withFreshTier(new LiveDomains.Entry(state != null ? state : adapter.newDomain(defaultPolicy.get()), lastSeen));
    }

    /** The entry of a domain about to become live at source, whatever state it had before. */
    LiveDomains.Entry newEntryAtSource(long lastSeen) {
        return withFreshTier(new LiveDomains.Entry(adapter.newDomain(defaultPolicy.get()), lastSeen));
    }

    /** A domain new to this task starts its two-tier state afresh (adaptive until stable, then baked). */
    private LiveDomains.Entry withFreshTier(LiveDomains.Entry entry) {
        if (snapshots.bakes() != null) {
            entry.tier = new io.adastream.adapt.twotier.TierState();
        }
        return entry;
    }

    private void loadTier(String domain, LiveDomains.Entry entry) {
        if (snapshots.bakes() != null) {
            entry.tier = snapshots.bakes().load(domain, store.get(domain), entry);
        }
    }

    /** Makes the domain live here with this entry. */
    void add(String domain, LiveDomains.Entry entry) {
        live.add(domain, entry);
        evictedPending.remove(domain);
        metrics.liveDomains(taskName, live.size());
    }

    /** Deletes the stored state of evicted domains once the global snapshot store holds their eviction snapshot. */
    void forgetEvictedDomainsTheSnapshotsTopicHas() {
        for (Iterator<String> it = evictedPending.iterator(); it.hasNext(); ) {
            String domain = it.next();
            byte[] stored = store.get(domain);
            byte[] published = snapshots.published(domain);
            if (stored == null || (published != null && Arrays.equals(StoredDomain.snapshot(stored), published))) {
                store.delete(domain);
                it.remove();
            }
        }
    }

    /** The task is closing (its partition may move): this instance holds none of its domains any more. */
    void close() {
        metrics.liveDomains(taskName, 0);
        for (Map.Entry<String, LiveDomains.Entry> e : live.all()) {
            metrics.domainLeft(e.getKey());
        }
    }

    /** Evicts the least recently seen domain (its snapshot goes to the snapshots topic first); false if refusing. */
    private boolean evictEldest() {
        if (!evictWhenFull) {
            return false;
        }
        Map.Entry<String, LiveDomains.Entry> eldest = live.eldest();
        if (eldest == null) {
            return false;
        }
        String domain = eldest.getKey();
        LiveDomains.Entry entry = eldest.getValue();
        if (entry.state == null) {
            entry.state = loadFromStore(domain);
        }
        byte[] snapshot = snapshots.emit(domain, entry);
        if (snapshots.bakes() != null) {
            snapshots.bakes().delete(domain);
        }
        if (snapshots.warmStartEnabled()) {
            store.put(domain, StoredDomain.encodeEvicted(entry.lastSeen, snapshot));
            evictedPending.add(domain);
        } else {
            store.delete(domain);
        }
        live.remove(domain);
        metrics.domainEvicted(domain);
        return true;
    }

    private DomainState loadFromStore(String domain) {
        byte[] stored = store.get(domain);
        if (stored != null) {
            try {
                return SnapshotCodec.read(StoredDomain.snapshot(stored), source);
            } catch (SnapshotFormatException e) {
                LOG.warn("stored state of domain '{}' is unusable ({}); starting from source", domain, e.getMessage());
            }
        }
        return adapter.newDomain(defaultPolicy.get());
    }
}
