package io.adastream.topology;

import io.adastream.adapt.stats.DomainState;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The domains a task owns, least recently seen first. A domain's state is decoded from the store on first use
 * after a restart and kept in memory while the task lives.
 */
final class LiveDomains {

    /** One live domain: its state (null until loaded), when it was last seen, and write/emit bookkeeping. */
    static final class Entry {
        DomainState state;
        long lastSeen;
        int framesSinceWrite;
        long emittedVersion = -1;
        /** The domain's two-tier state; null while the two-tier path is off or until the state is loaded. */
        io.adastream.adapt.twotier.TierState tier;
        /** The digest of the baked statistics last written to the bake store for this domain (0: none written). */
        long storedBakeDigest;

        Entry(DomainState state, long lastSeen) {
            this.state = state;
            this.lastSeen = lastSeen;
        }
    }

    private final LinkedHashMap<String, Entry> byRecency = new LinkedHashMap<>(16, 0.75f, true);

    /** The entry, marked as most recently seen; null if the domain is not live here. */
    Entry touch(String domain) {
        return byRecency.get(domain);
    }

    void add(String domain, Entry entry) {
        byRecency.put(domain, entry);
    }

    void clear() {
        byRecency.clear();
    }

    void remove(String domain) {
        byRecency.remove(domain);
    }

    int size() {
        return byRecency.size();
    }

    /** The least recently seen domain, or null. */
    Map.Entry<String, Entry> eldest() {
        Iterator<Map.Entry<String, Entry>> it = byRecency.entrySet().iterator();
        return it.hasNext() ? it.next() : null;
    }

    Iterable<Map.Entry<String, Entry>> all() {
        return byRecency.entrySet();
    }
}
