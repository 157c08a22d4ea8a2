package io.adastream.topology;

import io.adastream.models.io.ImageDecoder;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * Builds the AdaStream topology (Processor API):
 * <pre>
 *   frames ─▶ validate ─┬─▶ adapt ─┬─▶ predictions
 *                       │    ▲     ├─▶ snapshots (compacted)
 *   control ─▶ parse ───┼────┘     └─▶ dead-letter
 *                       └──────────────▶ dead-letter
 *   snapshots ─▶ global store (warm start of domains new to this instance)
 * </pre>
 * {@code adapt} owns the changelogged {@value TopologyNames#DOMAIN_STORE} store. Frames and control records are
 * keyed by domain id, so the two topics must have the same number of partitions.
 */
public final class AdaStreamTopology {

    private AdaStreamTopology() {
    }

    public static Topology build(ModelRuntime runtime, TopologyNames names, AdaptingProcessor.Settings settings,
                                 ImageDecoder decoder, ServiceMetrics metrics) {
        DeadLetters deadLetters = new DeadLetters(TopologyNames.DEAD_LETTER_SINK, metrics::deadLetter);
        Topology topology = new Topology();
        topology.addSource(TopologyNames.FRAMES_SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(),
                names.framesTopic());
        topology.addSource(TopologyNames.CONTROL_SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(),
                names.controlTopic());
        topology.addProcessor(TopologyNames.VALIDATE,
                () -> new FrameValidator(decoder, runtime.frameShape(), TopologyNames.ADAPT, deadLetters),
                TopologyNames.FRAMES_SOURCE);
        topology.addProcessor(TopologyNames.PARSE_CONTROL, () -> new ControlParser(deadLetters),
                TopologyNames.CONTROL_SOURCE);
        topology.addProcessor(TopologyNames.ADAPT,
                () -> new AdaptingProcessor(runtime, settings, names, deadLetters, metrics),
                TopologyNames.VALIDATE, TopologyNames.PARSE_CONTROL);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TopologyNames.DOMAIN_STORE),
                Serdes.String(), Serdes.ByteArray()).withCachingDisabled(), TopologyNames.ADAPT);
        topology.addSink(TopologyNames.PREDICTIONS_SINK, names.predictionsTopic(), new StringSerializer(),
                new ByteArraySerializer(), TopologyNames.ADAPT);
        topology.addSink(TopologyNames.SNAPSHOTS_SINK, names.snapshotsTopic(), new StringSerializer(),
                new ByteArraySerializer(), TopologyNames.ADAPT);
        topology.addSink(TopologyNames.DEAD_LETTER_SINK, names.deadLetterTopic(), new ByteArraySerializer(),
                new ByteArraySerializer(), TopologyNames.VALIDATE, TopologyNames.PARSE_CONTROL, TopologyNames.ADAPT);
        if (settings.warmStart()) {
            topology.addGlobalStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(TopologyNames.SNAPSHOT_STORE),
                            Serdes.String(), Serdes.ByteArray()).withLoggingDisabled(),
                    TopologyNames.SNAPSHOTS_GLOBAL_SOURCE, new StringDeserializer(), new ByteArrayDeserializer(),
                    names.snapshotsTopic(), TopologyNames.SNAPSHOTS_GLOBAL_UPDATER, SnapshotStoreUpdater::new);
        }
        return topology;
    }
}
