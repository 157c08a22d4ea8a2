package io.adastream.adapt.twotier;

import ai.onnxruntime.OrtException;
import io.adastream.adapt.onnx.BatchNormLayer;
import io.adastream.adapt.onnx.OnnxModel;
import io.adastream.adapt.session.BakedSession;
import io.adastream.adapt.session.SessionConfig;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The baked sessions of the most recently served domains, at most {@code maxSessions}, keyed by their statistics
 * (digest, then every bit). A miss bakes and opens the session at once, on the calling thread, so a frame routed
 * baked always predicts with its domain's baked statistics whether or not its session was cached: the cache size
 * changes only the cost, never a prediction. The least recently used session is closed when room is needed.
 * Not thread-safe: one per inference thread.
 */
public final class BakedSessionCache implements AutoCloseable {

    private final OnnxModel original;
    private final List<BatchNormLayer> layers;
    private final SessionConfig config;
    private final int maxSessions;
    private final LinkedHashMap<Long, Entry> sessions = new LinkedHashMap<>(16, 0.75f, true);
    private long hits;
    private long builds;
    private long buildNanos;

    private record Entry(BakedStatistics statistics, BakedSession session) {
    }

    public BakedSessionCache(OnnxModel original, List<BatchNormLayer> layers, SessionConfig config, int maxSessions) {
        if (maxSessions < 1) {
            throw new IllegalArgumentException("the baked session cache needs room for at least 1 session, got "
                    + maxSessions);
        }
        this.original = original;
        this.layers = List.copyOf(layers);
        this.config = config;
        this.maxSessions = maxSessions;
    }

    /** The session of these statistics, baked and opened now if it is not cached. */
    public BakedSession session(BakedStatistics statistics) throws OrtException {
        Entry e = sessions.get(statistics.digest());
        if (e != null && (e.statistics == statistics || e.statistics.equals(statistics))) {
            hits++;
            return e.session;
        }
        if (e != null) {
            // a digest collision: the other statistics' session goes
            sessions.remove(statistics.digest());
            e.session.close();
        }
        long t0 = System.nanoTime();
        BakedSession session = BakedSession.open(BakedModels.bake(original, layers, statistics), config);
        buildNanos += System.nanoTime() - t0;
        builds++;
        while (sessions.size() >= maxSessions) {
            Iterator<Map.Entry<Long, Entry>> eldest = sessions.entrySet().iterator();
            Entry gone = eldest.next().getValue();
            eldest.remove();
            gone.session.close();
        }
        sessions.put(statistics.digest(), new Entry(statistics, session));
        return session;
    }

    /** Sessions cached now. */
    public int size() {
        return sessions.size();
    }

    public int maxSessions() {
        return maxSessions;
    }

    /** Lookups served from the cache. */
    public long hits() {
        return hits;
    }

    /** Sessions baked and opened (misses). */
    public long builds() {
        return builds;
    }

    /** Time spent baking and opening sessions, in nanoseconds. */
    public long buildNanos() {
        return buildNanos;
    }

    @Override
    public void close() throws OrtException {
        for (Entry e : sessions.values()) {
            e.session.close();
        }
        sessions.clear();
    }
}
