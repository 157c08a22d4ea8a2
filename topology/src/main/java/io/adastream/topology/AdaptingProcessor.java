package io.adastream.topology;

import io.adastream.adapt.stats.DomainAdapter;
import io.adastream.adapt.stats.DomainState;
import io.adastream.adapt.stats.FrameOutcome;
import io.adastream.adapt.stats.StatisticsPrecision;
import io.adastream.adapt.twotier.BakedSessionCache;
import io.adastream.adapt.twotier.TierRule;
import io.adastream.adapt.twotier.TierSettings;
import io.adastream.adapt.twotier.TwoTierPath;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import java.time.Duration;

/**
 * The {@code adapt} node: per frame, finds the domain's state ({@link DomainLifecycle}), runs the frame
 * ({@link FrameInference}), publishes the prediction ({@link PredictionOutput}) and writes the state back every K
 * frames ({@link DomainSnapshots}); control commands go to {@link DomainControl}; a wall-clock punctuator writes
 * back and publishes the snapshots of changed domains. Frames found bad here (non-finite moments, over the domain
 * cap) go to the dead-letter topic untouched.
 */
public final class AdaptingProcessor implements Processor<String, DomainEvent, String, Object> {

    /**
     * The settings of the processor that come from configuration; {@code twoTier} null keeps every frame on the
     * adaptive graph.
     */
    public record Settings(int maxDomains, boolean evictWhenFull, int writeEveryFrames, StatisticsPrecision storePrecision,
                           Duration snapshotInterval, boolean warmStart, boolean shadowSource, TwoTier twoTier) {

        /** Settings with the two-tier path off. */
        public Settings(int maxDomains, boolean evictWhenFull, int writeEveryFrames, StatisticsPrecision storePrecision,
                        Duration snapshotInterval, boolean warmStart, boolean shadowSource) {
            this(maxDomains, evictWhenFull, writeEveryFrames, storePrecision, snapshotInterval, warmStart, shadowSource,
                    null);
        }

        /** These settings with the two-tier path on. */
        public Settings withTwoTier(TwoTier path) {
            return new Settings(maxDomains, evictWhenFull, writeEveryFrames, storePrecision, snapshotInterval, warmStart,
                    shadowSource, path);
        }
    }

    /** The two-tier path: its rule's settings and the most baked sessions a task keeps open. */
    public record TwoTier(TierSettings rule, int maxSessions) {
    }

    private final ModelRuntime runtime;
    private final Settings settings;
    private final TopologyNames names;
    private final DeadLetters deadLetters;
    private final ServiceMetrics metrics;
    /** The processor that joins predictions with labels (online accuracy), or null. */
    private final String scoring;

    private ProcessorContext<String, Object> context;
    private FrameInference inference;
    private DomainLifecycle domains;
    private DomainSnapshots snapshots;
    private DomainControl control;
    private PredictionOutput predictions;

    /** @param scoring the node that gets every prediction too, to join it with its label; null for none */
    public AdaptingProcessor(ModelRuntime runtime, Settings settings, TopologyNames names, DeadLetters deadLetters,
                             ServiceMetrics metrics, String scoring) {
        this.runtime = runtime;
        this.settings = settings;
        this.names = names;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.scoring = scoring;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        DomainAdapter adapter = new DomainAdapter(runtime.source());
        TwoTierPath twoTier = settings.twoTier() == null ? null : new TwoTierPath(
                new TierRule(settings.twoTier().rule(), adapter.detectorSettings()),
                new BakedSessionCache(runtime.original(), runtime.adaptive().layers(), runtime.sessionConfig(),
                        settings.twoTier().maxSessions()));
        this.inference = new SessionFrameInference(runtime, adapter, settings.shadowSource(), twoTier);
        this.snapshots = new DomainSnapshots(context, context.getStateStore(TopologyNames.DOMAIN_STORE),
                settings.warmStart() ? context.getStateStore(TopologyNames.SNAPSHOT_STORE) : null, runtime.source(),
                settings.writeEveryFrames(), settings.storePrecision(), names.snapshotsOut(), metrics,
                twoTier == null ? null : new BakeStore(context.getStateStore(TopologyNames.BAKE_STORE), runtime.source()));
        this.domains = new DomainLifecycle(context.getStateStore(TopologyNames.DOMAIN_STORE), snapshots, adapter,
                runtime.source(), runtime::defaultPolicy, settings.maxDomains(), settings.evictWhenFull(), metrics,
                context.taskId().toString());
        this.control = new DomainControl(context, domains, snapshots, adapter, deadLetters);
        this.predictions = new PredictionOutput(context, new PredictionWriter(runtime.spec().name(),
                runtime.adaptive().fingerprintHex(), runtime.spec().task(), runtime.spec().classes()),
                names.predictionsOut(), scoring);
        domains.restore();
        context.schedule(settings.snapshotInterval(), PunctuationType.WALL_CLOCK_TIME, now -> {
            domains.forgetEvictedDomainsTheSnapshotsTopicHas();
            snapshots.flushAndEmit(domains.all());
        });
    }

    @Override
    public void process(Record<String, DomainEvent> record) {
        if (record.value() instanceof DomainEvent.Frame frame) {
            processFrame(record, frame);
        } else if (record.value() instanceof DomainEvent.Control command) {
            control.apply(record.key(), command, record.timestamp());
        }
    }

    private void processFrame(Record<String, DomainEvent> record, DomainEvent.Frame frame) {
        String domain = record.key();
        LiveDomains.Entry entry = domains.live(domain);
        boolean isNew = entry == null;
        if (isNew) {
            if (!domains.canMakeRoom()) {
                deadLetter(record, frame, DeadLetterReason.DOMAIN_CAP, "this task already has " + domains.size()
                        + " live domains (domains.max.per.task) and domains.overflow=refuse");
                return;
            }
            entry = domains.newEntry(domain, 0);
        }
        DomainState state = entry.state;
        FrameInference.Result result = inference.infer(new FrameInference.Request(domain, state, frame.image(),
                frame.tensor(), entry.tier));
        if (result.outcome() == FrameOutcome.REJECTED_OUTPUT) {
            deadLetter(record, frame, DeadLetterReason.UNDECODABLE_OUTPUT,
                    result.decodeError() + "; the domain's statistics are unchanged");
            return;
        }
        if (result.rejected()) {
            deadLetter(record, frame, DeadLetterReason.NON_FINITE_MOMENTS,
                    "the frame's BatchNorm moments are not finite; the domain's statistics are unchanged");
            return;
        }
        if (isNew) {
            domains.makeRoom(); // evicts only now that the frame is accepted; canMakeRoom said it can
            domains.add(domain, entry);
        }
        predictions.publish(domain, frame, state, result, record.timestamp());
        metrics.frame(domain, result.outcome(), frame.decodeNanos() / 1e9, result.preprocessNanos() / 1e9,
                result.inferenceNanos() / 1e9);
        metrics.adaptation(domain, result.adaptNanos() / 1e9);
        metrics.domainState(domain, result.shiftScore(), result.weight(), state.frameCount(),
                state.segments() == null ? 0 : state.segments().size());
        snapshots.afterFrame(domain, entry, record.timestamp());
    }

    private void deadLetter(Record<String, DomainEvent> record, DomainEvent.Frame frame, DeadLetterReason reason,
                            String detail) {
        deadLetters.send(context, frame.originalKey(), frame.originalValue(), frame.originalHeaders(), record.timestamp(),
                reason, detail);
    }

    @Override
    public void close() {
        if (domains != null) {
            domains.close();
        }
        if (inference != null) {
            inference.close();
        }
    }
}
