package io.adastream.topology;

import io.adastream.adapt.stats.DomainState;
import io.adastream.adapt.stats.SnapshotCodec;
import io.adastream.adapt.stats.SnapshotFormatException;
import io.adastream.adapt.stats.SourceStatistics;
import io.adastream.adapt.stats.StatisticsPrecision;
import io.adastream.adapt.twotier.TierStateCodec;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * A task's domain states on their way out and back in: written back to the domain-state store every K frames and
 * on the snapshot cadence, published to the snapshots topic when changed, and read back from the global snapshot
 * store to warm-start a domain new to this instance.
 */
final class DomainSnapshots {

    private static final Logger LOG = LoggerFactory.getLogger(DomainSnapshots.class);

    private final ProcessorContext<String, Object> context;
    private final KeyValueStore<String, byte[]> store;
    /** The global store of published snapshots; null when warm start is off. */
    private final KeyValueStore<String, byte[]> published;
    private final SourceStatistics source;
    private final int writeEveryFrames;
    private final StatisticsPrecision storePrecision;
    private final String snapshotsOut;
    private final ServiceMetrics metrics;
    /** The two-tier path's bakes; null while it is off. */
    private final BakeStore bakes;

    DomainSnapshots(ProcessorContext<String, Object> context, KeyValueStore<String, byte[]> store,
                    KeyValueStore<String, byte[]> published, SourceStatistics source, int writeEveryFrames,
                    StatisticsPrecision storePrecision, String snapshotsOut, ServiceMetrics metrics) {
        this(context, store, published, source, writeEveryFrames, storePrecision, snapshotsOut, metrics, null);
    }

    /** @param bakes the two-tier path's bake store, or null while the path is off */
    DomainSnapshots(ProcessorContext<String, Object> context, KeyValueStore<String, byte[]> store,
                    KeyValueStore<String, byte[]> published, SourceStatistics source, int writeEveryFrames,
                    StatisticsPrecision storePrecision, String snapshotsOut, ServiceMetrics metrics, BakeStore bakes) {
        this.bakes = bakes;
        this.context = context;
        this.store = store;
        this.published = published;
        this.source = source;
        this.writeEveryFrames = writeEveryFrames;
        this.storePrecision = storePrecision;
        this.snapshotsOut = snapshotsOut;
        this.metrics = metrics;
    }

    boolean warmStartEnabled() {
        return published != null;
    }

    /** The snapshot of the domain on the snapshots topic, as far as this instance has read it; null if none or off. */
    byte[] published(String domain) {
        return published == null ? null : published.get(domain);
    }

    /** The domain's state from its published snapshot; null if warm start is off, or there is none or it is unusable. */
    DomainState warmStart(String domain) {
        byte[] snapshot = published(domain);
        if (snapshot == null) {
            return null;
        }
        try {
            DomainState warm = SnapshotCodec.read(snapshot, source);
            LOG.info("domain '{}' warm-started from its snapshot ({} frames)", domain, warm.frameCount());
            return warm;
        } catch (SnapshotFormatException e) {
            LOG.warn("snapshot of domain '{}' on the snapshots topic is unusable ({}); starting from source",
                    domain, e.getMessage());
            return null;
        }
    }

    /** After a frame of the domain: marks it seen and writes it back once every K frames. */
    void afterFrame(String domain, LiveDomains.Entry entry, long timestamp) {
        entry.lastSeen = timestamp;
        if (++entry.framesSinceWrite >= writeEveryFrames) {
            write(domain, entry);
        }
    }

    /** The two-tier path's bake store; null while it is off. */
    BakeStore bakes() {
        return bakes;
    }

    /**
     * Writes the domain's state to the domain-state store, in the store's precision, with its two-tier counters
     * (and its bake, when it changed) while the two-tier path is on.
     */
    void write(String domain, LiveDomains.Entry entry) {
        byte[] snapshot = SnapshotCodec.write(entry.state, storePrecision);
        byte[] value = bakes != null && entry.tier != null
                ? StoredDomain.encode(entry.lastSeen, TierStateCodec.writeCounters(entry.tier), snapshot)
                : StoredDomain.encode(entry.lastSeen, snapshot);
        store.put(domain, value);
        if (bakes != null) {
            bakes.write(domain, entry);
        }
        entry.framesSinceWrite = 0;
        metrics.stateWritten(value.length);
    }

    /** Publishes the domain's snapshot (full precision) to the snapshots topic and returns it. */
    byte[] emit(String domain, LiveDomains.Entry entry) {
        byte[] snapshot = SnapshotCodec.write(entry.state);
        context.forward(new Record<>(domain, snapshot, context.currentSystemTimeMs()), snapshotsOut);
        entry.emittedVersion = entry.state.version();
        metrics.snapshotWritten(domain, snapshot.length);
        return snapshot;
    }

    /** The snapshot cadence: writes back the domains with unwritten frames, publishes those changed since last time. */
    void flushAndEmit(Iterable<Map.Entry<String, LiveDomains.Entry>> live) {
        for (Map.Entry<String, LiveDomains.Entry> e : live) {
            LiveDomains.Entry entry = e.getValue();
            if (entry.state == null) {
                continue;
            }
            if (entry.framesSinceWrite > 0) {
                write(e.getKey(), entry);
            }
            if (entry.state.version() != entry.emittedVersion) {
                emit(e.getKey(), entry);
            }
        }
    }
}
