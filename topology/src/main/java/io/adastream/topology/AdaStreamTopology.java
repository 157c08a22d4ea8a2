package io.adastream.topology;

import io.adastream.models.io.ImageDecoder;
import io.adastream.models.spec.ModelSpec;
import io.adastream.topology.labels.LabelJoiner;
import io.adastream.topology.labels.LabelParser;
import io.adastream.topology.labels.PredictedFrameSerde;
import io.adastream.topology.labels.ResultJson;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowBytesStoreSupplier;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds the AdaStream topology (Processor API):
 * <pre>
 *   frames ─▶ validate ─┬─▶ adapt ─┬─▶ predictions
 *                       │    ▲     ├─▶ snapshots (compacted)
 *   control ─▶ parse ───┼────┘     ├─▶ dead-letter
 *                       │          └─▶ score-labels ◀─ parse-labels ◀─ labels   (online accuracy, when enabled)
 *                       └──────────────▶ dead-letter
 *   snapshots ─▶ global store (warm start of domains new to this instance)
 * </pre>
 * Each output goes through an {@link OutputSizeGuard} (predictions and snapshots too large for their topic become
 * dead letters). {@code adapt} owns the changelogged {@value TopologyNames#DOMAIN_STORE} store. Frames, control and labels records
 * are keyed by domain id, so these topics must have the same number of partitions.
 */
public final class AdaStreamTopology {

    /** The topic of ground-truth labels and how they are joined with predictions and scored. */
    public record OnlineAccuracySetup(String topic, LabelJoiner.Settings settings) {
    }

    private AdaStreamTopology() {
    }

    /** The topology without online accuracy. */
    public static Topology build(ModelRuntime runtime, TopologyNames names, AdaptingProcessor.Settings settings,
                                 ImageDecoder decoder, ServiceMetrics metrics) {
        return build(runtime, names, settings, null, decoder, metrics);
    }

    /**
     * The topology; with {@code labels} (null: off) it also joins predictions with the ground truth on the labels
     * topic and reports each domain's online accuracy.
     */
    public static Topology build(ModelRuntime runtime, TopologyNames names, AdaptingProcessor.Settings settings,
                                 OnlineAccuracySetup labels, ImageDecoder decoder, ServiceMetrics metrics) {
        return build(runtime, names, settings, labels, decoder, metrics, new OutputLimits(OutputLimits.DEFAULT_MAX_REQUEST_SIZE));
    }

    /** The topology whose outputs are held to {@code limits}: a record too large for its topic is dead-lettered. */
    public static Topology build(ModelRuntime runtime, TopologyNames names, AdaptingProcessor.Settings settings,
                                 OnlineAccuracySetup labels, ImageDecoder decoder, ServiceMetrics metrics,
                                 OutputLimits limits) {
        DeadLetters deadLetters = new DeadLetters(TopologyNames.DEAD_LETTER_OUT, metrics::deadLetter);
        List<String> deadLetterParents = new ArrayList<>(List.of(TopologyNames.VALIDATE, TopologyNames.PARSE_CONTROL,
                TopologyNames.ADAPT));
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
        String scoring = labels == null ? null : TopologyNames.SCORE_LABELS;
        topology.addProcessor(TopologyNames.ADAPT,
                () -> new AdaptingProcessor(runtime, settings, names, deadLetters, metrics, scoring),
                TopologyNames.VALIDATE, TopologyNames.PARSE_CONTROL);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TopologyNames.DOMAIN_STORE),
                Serdes.String(), Serdes.ByteArray()).withCachingDisabled(), TopologyNames.ADAPT);
        if (settings.twoTier() != null) {
            topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TopologyNames.BAKE_STORE),
                    Serdes.String(), Serdes.ByteArray()).withCachingDisabled(), TopologyNames.ADAPT);
        }
        if (labels != null) {
            addOnlineAccuracy(topology, runtime.spec(), settings.maxDomains(), labels, decoder, deadLetters, metrics);
            deadLetterParents.addAll(List.of(TopologyNames.PARSE_LABELS, TopologyNames.SCORE_LABELS));
        }
        topology.addProcessor(TopologyNames.PREDICTIONS_OUT, () -> new OutputSizeGuard("prediction",
                names.predictionsTopic(), TopologyNames.PREDICTIONS_SINK, limits, deadLetters), TopologyNames.ADAPT);
        topology.addProcessor(TopologyNames.SNAPSHOTS_OUT, () -> new OutputSizeGuard("snapshot",
                names.snapshotsTopic(), TopologyNames.SNAPSHOTS_SINK, limits, deadLetters), TopologyNames.ADAPT);
        deadLetterParents.addAll(List.of(TopologyNames.PREDICTIONS_OUT, TopologyNames.SNAPSHOTS_OUT));
        topology.addProcessor(TopologyNames.DEAD_LETTER_OUT, () -> new OutputSizeGuard("dead letter",
                names.deadLetterTopic(), TopologyNames.DEAD_LETTER_SINK, limits, null), deadLetterParents.toArray(String[]::new));
        topology.addSink(TopologyNames.PREDICTIONS_SINK, names.predictionsTopic(), new StringSerializer(),
                new ByteArraySerializer(), TopologyNames.PREDICTIONS_OUT);
        topology.addSink(TopologyNames.SNAPSHOTS_SINK, names.snapshotsTopic(), new StringSerializer(),
                new ByteArraySerializer(), TopologyNames.SNAPSHOTS_OUT);
        topology.addSink(TopologyNames.DEAD_LETTER_SINK, names.deadLetterTopic(), new ByteArraySerializer(),
                new ByteArraySerializer(), TopologyNames.DEAD_LETTER_OUT);
        if (settings.warmStart()) {
            topology.addGlobalStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TopologyNames.SNAPSHOT_STORE),
                            Serdes.String(), Serdes.ByteArray()).withLoggingDisabled(),
                    TopologyNames.SNAPSHOTS_GLOBAL_SOURCE, new StringDeserializer(), new ByteArrayDeserializer(),
                    names.snapshotsTopic(), TopologyNames.SNAPSHOTS_GLOBAL_UPDATER, SnapshotStoreUpdater::new);
        }
        return topology;
    }

    /** labels ─▶ parse-labels ─▶ score-labels, which also gets every prediction of adapt; two window stores. */
    private static void addOnlineAccuracy(Topology topology, ModelSpec spec, int maxDomains, OnlineAccuracySetup labels,
                                          ImageDecoder decoder, DeadLetters deadLetters, ServiceMetrics metrics) {
        ResultJson results = new ResultJson(spec.isSegmentation(), spec.classes(), decoder.limits().maxPixels());
        topology.addSource(TopologyNames.LABELS_SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(),
                labels.topic());
        topology.addProcessor(TopologyNames.PARSE_LABELS,
                () -> new LabelParser(results, deadLetters, TopologyNames.SCORE_LABELS), TopologyNames.LABELS_SOURCE);
        topology.addProcessor(TopologyNames.SCORE_LABELS,
                () -> new LabelJoiner(labels.settings(), new LabelParser(results, deadLetters, null),
                        spec.isSegmentation(), spec.classes().size(), maxDomains, deadLetters, metrics),
                TopologyNames.ADAPT, TopologyNames.PARSE_LABELS);
        topology.addStateStore(Stores.windowStoreBuilder(joinStore(LabelJoiner.PREDICTIONS_STORE, labels.settings()),
                        Serdes.String(), PredictedFrameSerde.serde())
                .withLoggingDisabled().withCachingDisabled(), TopologyNames.SCORE_LABELS);
        topology.addStateStore(Stores.windowStoreBuilder(joinStore(LabelJoiner.LABELS_STORE, labels.settings()),
                        Serdes.String(), Serdes.ByteArray())
                .withLoggingDisabled().withCachingDisabled(), TopologyNames.SCORE_LABELS);
    }

    /** A store where one side of the label join waits for the other (not logged: a restart forgets the waiting). */
    private static WindowBytesStoreSupplier joinStore(String name, LabelJoiner.Settings settings) {
        return Stores.persistentWindowStore(name, settings.retention(), settings.window().multipliedBy(2), false);
    }
}
