package io.adastream.it;

import io.adastream.adapt.stats.DomainState;
import io.adastream.adapt.stats.SnapshotCodec;
import io.adastream.adapt.stats.SourceStatistics;
import io.adastream.topology.StoredDomain;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** Domain statistics as the service stored them (the committed changelog of its domain-state store). */
final class DomainStats {

    private DomainStats() {
    }

    /** The committed state of every domain of an application, read from its changelog with read_committed. */
    static Map<String, DomainState> fromChangelog(Harness h, String applicationId) throws Exception {
        Map<String, DomainState> out = new TreeMap<>();
        for (var e : KafkaIO.latestByKey(h.bootstrap(), Harness.changelog(applicationId), Duration.ofSeconds(60)).entrySet()) {
            out.put(e.getKey(), SnapshotCodec.read(StoredDomain.snapshot(e.getValue()), h.source));
        }
        return out;
    }

    /** The largest difference between two domains' statistics, relative to max(1, |reference|). */
    static double maxRelativeDifference(DomainState a, DomainState ref, SourceStatistics source) {
        double max = 0;
        for (int l = 0; l < source.layers(); l++) {
            for (int c = 0; c < source.channels(l); c++) {
                max = Math.max(max, Math.abs(a.mean(l, c) - ref.mean(l, c)) / Math.max(1, Math.abs(ref.mean(l, c))));
                max = Math.max(max, Math.abs(a.var(l, c) - ref.var(l, c)) / Math.max(1, Math.abs(ref.var(l, c))));
            }
        }
        return max;
    }

    /** The largest difference of any statistic from the source statistics (0: never adapted). */
    static double maxDifferenceFromSource(DomainState a, SourceStatistics source) {
        double max = 0;
        double[] m = new double[source.maxChannels()];
        double[] v = new double[source.maxChannels()];
        for (int l = 0; l < source.layers(); l++) {
            source.copyMean(l, m);
            source.copyVar(l, v);
            for (int c = 0; c < source.channels(l); c++) {
                max = Math.max(max, Math.abs(a.mean(l, c) - m[c]));
                max = Math.max(max, Math.abs(a.var(l, c) - v[c]));
            }
        }
        return max;
    }

    /**
     * Compares every domain with the reference: the same domains, the same frame counts, statistics equal within
     * the relative tolerance. Returns the largest relative difference; throws AssertionError naming the first
     * mismatch.
     */
    static double assertEqual(Map<String, DomainState> actual, Map<String, DomainState> reference,
                              SourceStatistics source, double tolerance) {
        if (!actual.keySet().equals(reference.keySet())) {
            throw new AssertionError("domains differ: " + new TreeSet<>(actual.keySet()) + " vs reference "
                    + new TreeSet<>(reference.keySet()));
        }
        double worst = 0;
        for (String d : reference.keySet()) {
            DomainState a = actual.get(d);
            DomainState r = reference.get(d);
            if (a.frameCount() != r.frameCount()) {
                throw new AssertionError("domain " + d + ": " + a.frameCount() + " frames folded, reference "
                        + r.frameCount());
            }
            double diff = maxRelativeDifference(a, r, source);
            if (!(diff <= tolerance)) {
                throw new AssertionError("domain " + d + ": statistics differ from the reference by " + diff
                        + " (tolerance " + tolerance + ")");
            }
            worst = Math.max(worst, diff);
        }
        return worst;
    }
}
