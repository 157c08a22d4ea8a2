package io.adastream.topology;

import io.adastream.adapt.stats.SourceStatistics;
import io.adastream.adapt.twotier.TierState;
import io.adastream.adapt.twotier.TierStateCodec;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two-tier path's baked statistics per domain, in their own changelogged store (written only when a domain's
 * bake changed, at the same write-back as the domain entry whose two-tier counters name it, so both commit or
 * neither). The counters live in the domain entry ({@link StoredDomain}); {@link #load} puts the two together.
 */
final class BakeStore {

    private static final Logger LOG = LoggerFactory.getLogger(BakeStore.class);

    private final KeyValueStore<String, byte[]> store;
    private final SourceStatistics source;

    BakeStore(KeyValueStore<String, byte[]> store, SourceStatistics source) {
        this.store = store;
        this.source = source;
    }

    /** The domain's two-tier state from its stored entry and bake; a fresh one when there is none or it is unusable. */
    TierState load(String domain, byte[] storedEntry, LiveDomains.Entry entry) {
        byte[] counters = storedEntry == null ? null : StoredDomain.tierCounters(storedEntry);
        entry.storedBakeDigest = 0;
        if (counters == null) {
            return new TierState();
        }
        try {
            TierState tier = TierStateCodec.read(counters, store.get(domain), source);
            entry.storedBakeDigest = tier.baked() == null ? 0 : tier.baked().digest();
            return tier;
        } catch (IllegalArgumentException e) {
            LOG.warn("stored two-tier state of domain '{}' is unusable ({}); its frames run adaptive until it is "
                    + "baked again", domain, e.getMessage());
            return new TierState();
        }
    }

    /** Writes the domain's bake if it changed since the last write; call with the write of its entry. */
    void write(String domain, LiveDomains.Entry entry) {
        TierState tier = entry.tier;
        if (tier == null || tier.baked() == null || tier.baked().digest() == entry.storedBakeDigest) {
            return;
        }
        store.put(domain, TierStateCodec.writeBake(tier.baked()));
        entry.storedBakeDigest = tier.baked().digest();
    }

    /** Forgets the domain's bake (it was evicted: it comes back with a fresh two-tier state). */
    void delete(String domain) {
        store.delete(domain);
    }
}
