package io.adastream.adapt.stats;

import io.adastream.adapt.stats.policy.Policies;
import io.adastream.adapt.stats.shift.DetectorSettings;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-frame path (blend weights, score, detector, fold, segment mixture) allocates nothing. */
class NoAllocationTest {

    @Test
    void perFrameProcessingDoesNotAllocate() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Random random = new Random(8);
        SourceStatistics source = StatsFixtures.source(random, 64, 128, 32);
        DomainAdapter adapter = new DomainAdapter(source, DetectorSettings.defaults());
        for (String policy : new String[]{"prior-decay", "balanced", "momentum-decay"}) {
            DomainState state = adapter.newDomain(Policies.create(policy, Map.of("b-max", "0.5")));
            FrameMoments[] frames = new FrameMoments[64];
            for (int i = 0; i < frames.length; i++) {
                frames[i] = new FrameMoments(source);
                StatsFixtures.domainFrame(random, source, frames[i], i % 16 == 0 ? 30 : 0.5, 1.0);
            }
            float[] blend = new float[source.layers()];
            for (int t = 0; t < 3000; t++) { // warm up the JIT
                adapter.blendWeights(state, blend);
                adapter.onFrame(state, frames[t % frames.length]);
            }
            long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
            for (int t = 0; t < 2000; t++) {
                adapter.blendWeights(state, blend);
                adapter.onFrame(state, frames[t % frames.length]);
            }
            long allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
            assertTrue(allocated < 4096, policy + " allocated " + allocated + " bytes over 2000 frames");
        }
    }
}
