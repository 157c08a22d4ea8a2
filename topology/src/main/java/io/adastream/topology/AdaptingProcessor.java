package io.adastream.topology;

import ai.onnxruntime.OrtException;
import io.adastream.adapt.inference.AdaptationMode;
import io.adastream.adapt.inference.AdaptiveRunner;
import io.adastream.adapt.onnx.BatchNormLayer;
import io.adastream.adapt.session.Workspace;
import io.adastream.adapt.stats.DomainAdapter;
import io.adastream.adapt.stats.DomainState;
import io.adastream.adapt.stats.FrameOutcome;
import io.adastream.adapt.stats.SnapshotCodec;
import io.adastream.adapt.stats.SnapshotFormatException;
import io.adastream.adapt.stats.StatisticsPrecision;
import io.adastream.adapt.stats.policy.Policies;
import io.adastream.models.task.LetterboxTransform;
import io.adastream.models.task.TaskAdapter;
import io.adastream.models.task.TaskResult;
import io.adastream.models.task.WorkspaceOutputs;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.KeyValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.FloatBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Adapts and predicts, per domain: feeds each frame through the adaptive session with its domain's statistics,
 * folds the frame's moments into the domain's state (kept in a changelogged store), publishes the prediction,
 * applies control commands, emits snapshots of changed domains on a cadence, and keeps the number of live domains
 * under a cap. Bad frames found here (non-finite moments, over the cap) go to the dead-letter topic untouched.
 */
public final class AdaptingProcessor implements Processor<String, DomainEvent, String, byte[]> {

    private static final Logger LOG = LoggerFactory.getLogger(AdaptingProcessor.class);

    /** The settings of the processor that come from configuration. */
    public record Settings(int maxDomains, boolean evictWhenFull, int writeEveryFrames, StatisticsPrecision storePrecision,
                           Duration snapshotInterval, boolean warmStart, boolean shadowSource) {
    }

    private final ModelRuntime runtime;
    private final Settings settings;
    private final TopologyNames names;
    private final DeadLetters deadLetters;
    private final ServiceMetrics metrics;
    /** The processor that joins predictions with labels (online accuracy), or null. */
    private final String scoring;

    private ProcessorContext<String, byte[]> context;
    private KeyValueStore<String, byte[]> store;
    private KeyValueStore<String, byte[]> snapshots;
    private AdaptiveRunner runner;
    private TaskAdapter task;
    private PredictionWriter writer;
    private Workspace workspace;
    private WorkspaceOutputs outputs;
    private final LiveDomains live = new LiveDomains();
    /**
     * Domains evicted from this task whose eviction snapshot the global snapshot store may not have read yet: their
     * last state stays in the domain store (flagged evicted) until it has, so a domain that returns sooner resumes
     * from its own last state, never from an older snapshot.
     */
    private final java.util.Set<String> evictedPending = new java.util.HashSet<>();
    private final DomainState[] batch = new DomainState[1];
    private final FrameOutcome[] outcomes = new FrameOutcome[1];
    private String taskName = "";

    /** @param scoring the node that gets every prediction too, to join it with its label; null for none */
    public AdaptingProcessor(ModelRuntime runtime, Settings settings, TopologyNames names, DeadLetters deadLetters,
                             ServiceMetrics metrics, String scoring) {
        this.scoring = scoring;
        this.runtime = runtime;
        this.settings = settings;
        this.names = names;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        this.taskName = context.taskId().toString();
        this.store = context.getStateStore(TopologyNames.DOMAIN_STORE);
        this.snapshots = settings.warmStart() ? context.getStateStore(TopologyNames.SNAPSHOT_STORE) : null;
        this.runner = runtime.newRunner();
        this.task = TaskAdapter.forSpec(runtime.spec());
        this.writer = new PredictionWriter(runtime.spec().name(), runtime.adaptive().fingerprintHex(),
                runtime.spec().task(), runtime.spec().classes());
        try {
            this.workspace = runner.workspace(1);
            this.outputs = new WorkspaceOutputs(workspace);
        } catch (OrtException e) {
            throw new IllegalStateException("cannot allocate the inference workspace: " + e.getMessage(), e);
        }
        restoreIndex();
        context.schedule(settings.snapshotInterval(), PunctuationType.WALL_CLOCK_TIME, now -> flushAndEmitSnapshots());
    }

    /**
     * Rebuilds the recency order of the live domains in the store (states are decoded lazily) and the set of evicted
     * domains still waiting for the snapshots topic. Starts from scratch: a task revived after an aborted
     * transaction must forget what it had in memory and trust only the restored store.
     */
    private void restoreIndex() {
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
        if (snapshots == null) {
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

    @Override
    public void process(Record<String, DomainEvent> record) {
        if (record.value() instanceof DomainEvent.Frame frame) {
            processFrame(record, frame);
        } else if (record.value() instanceof DomainEvent.Control control) {
            processControl(record.key(), control, record.timestamp());
        }
    }

    private void processFrame(Record<String, DomainEvent> record, DomainEvent.Frame frame) {
        String domain = record.key();
        LiveDomains.Entry entry = live.touch(domain);
        boolean isNew = entry == null;
        if (isNew) {
            if (live.size() >= settings.maxDomains() && !makeRoom()) {
                deadLetter(record, frame, DeadLetterReason.DOMAIN_CAP, "this task already has " + live.size()
                        + " live domains (domains.max.per.task) and domains.overflow=refuse");
                return;
            }
            entry = new LiveDomains.Entry(newDomainState(domain), 0);
        } else if (entry.state == null) {
            entry.state = loadFromStore(domain);
        }
        DomainState state = entry.state;

        long t0 = System.nanoTime();
        FloatBuffer input = workspace.input(runtime.spec().input().name());
        LetterboxTransform transform = frame.tensor() != null
                ? task.copyTensor(frame.tensor(), input, 0)
                : task.preprocess(frame.image(), input, 0);
        long t1 = System.nanoTime();
        batch[0] = state;
        TaskResult result;
        TaskResult sourceResult = null;
        try {
            runner.run(workspace, batch, outcomes);
            if (outcomes[0] == FrameOutcome.REJECTED_NON_FINITE) {
                deadLetter(record, frame, DeadLetterReason.NON_FINITE_MOMENTS,
                        "the frame's BatchNorm moments are not finite; the domain's statistics are unchanged");
                return;
            }
            result = task.decode(outputs, 0, transform);
            if (settings.shadowSource()) {
                sourceResult = runSource(transform);
            }
        } catch (OrtException e) {
            throw new IllegalStateException("inference failed: " + e.getMessage(), e);
        }
        long t2 = System.nanoTime();
        if (isNew) {
            live.add(domain, entry);
            evictedPending.remove(domain);
            metrics.liveDomains(taskName, live.size());
        }
        double score = runner.score(0);
        double weight = runner.adapter().lastWeight();
        byte[] json = writer.write(new PredictionWriter.Prediction(frame.frameId(), domain, state,
                runner.mode() == AdaptationMode.FUSED ? "fused" : "two-pass", outcomes[0], score, weight, result,
                sourceResult, frame.decodeNanos() / 1e6, (t1 - t0) / 1e6, (t2 - t1) / 1e6));
        Record<String, byte[]> prediction = new Record<>(domain, json, record.timestamp(), new RecordHeaders()
                .add("frame-id", frame.frameId().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        context.forward(prediction, names.predictionsOut());
        if (scoring != null) {
            context.forward(prediction, scoring);
        }
        metrics.frame(domain, outcomes[0], frame.decodeNanos() / 1e9, (t1 - t0) / 1e9, (t2 - t1) / 1e9);
        metrics.adaptation(domain, runner.lastAdaptNanos() / 1e9);
        metrics.domainState(domain, score, weight, state.frameCount(), state.segments() == null ? 0 : state.segments().size());

        entry.lastSeen = record.timestamp();
        if (++entry.framesSinceWrite >= settings.writeEveryFrames()) {
            write(domain, entry);
        }
    }

    private TaskResult runSource(LetterboxTransform transform) throws OrtException {
        for (BatchNormLayer l : runtime.adaptive().layers()) {
            workspace.setStatistics(0, l.index(), l.sourceMean(), l.sourceVar());
            workspace.setBlend(0, l.index(), 0f);
        }
        workspace.run();
        return task.decode(outputs, 0, transform);
    }

    private void processControl(String domain, DomainEvent.Control control, long timestamp) {
        LiveDomains.Entry entry = live.touch(domain);
        if (entry == null) {
            boolean resetOfKnownState = control.command().equals("reset") && hasStateElsewhere(domain);
            if (!resetOfKnownState && (control.command().equals("reset") || control.command().equals("snapshot")
                    || control.command().equals("unfreeze"))) {
                LOG.info("control '{}' for domain '{}', which is not live here: nothing to do", control.command(), domain);
                return;
            }
            if (live.size() >= settings.maxDomains() && !makeRoom()) {
                deadLetters.send(context, control.originalKey(), control.originalValue(), control.originalHeaders(),
                        timestamp, DeadLetterReason.DOMAIN_CAP, "control '" + control.command() + "' for a new domain: this task "
                                + "already has " + live.size() + " live domains (domains.max.per.task) and domains.overflow=refuse");
                return;
            }
            // a reset of an evicted domain makes it live at source, so that neither its kept state nor its snapshot
            // (which the next snapshot replaces) can bring the old statistics back
            entry = new LiveDomains.Entry(resetOfKnownState ? runner.adapter().newDomain(runtime.defaultPolicy())
                    : newDomainState(domain), timestamp);
            live.add(domain, entry);
            evictedPending.remove(domain);
        } else if (entry.state == null) {
            entry.state = loadFromStore(domain);
        }
        DomainAdapter adapter = runner.adapter();
        switch (control.command()) {
            case "reset" -> adapter.reset(entry.state);
            case "freeze" -> adapter.freeze(entry.state);
            case "unfreeze" -> adapter.unfreeze(entry.state);
            case "set-policy" -> adapter.setPolicy(entry.state, Policies.create(control.policy(), control.parameters()));
            case "snapshot" -> {
                emitSnapshot(domain, entry);
                return;
            }
            default -> {
                return;
            }
        }
        LOG.info("control '{}' applied to domain '{}'", control.command(), domain);
        write(domain, entry);
        metrics.liveDomains(taskName, live.size());
    }

    /** Whether a domain that is not live here has state it could come back with: kept after eviction, or a snapshot. */
    private boolean hasStateElsewhere(String domain) {
        return evictedPending.contains(domain) || (snapshots != null && snapshots.get(domain) != null);
    }

    /** Evicts the least recently seen domain (its snapshot goes to the snapshots topic first); false if refusing. */
    private boolean makeRoom() {
        if (!settings.evictWhenFull()) {
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
        byte[] snapshot = emitSnapshot(domain, entry);
        if (snapshots != null) {
            store.put(domain, StoredDomain.encodeEvicted(entry.lastSeen, snapshot));
            evictedPending.add(domain);
        } else {
            store.delete(domain);
        }
        live.remove(domain);
        metrics.domainEvicted(domain);
        return true;
    }

    /**
     * A domain's state when it becomes live here: its own last state if it was evicted from this task so recently
     * that the snapshots topic may not have it yet; else its latest snapshot on the snapshots topic when allowed and
     * readable; else source.
     */
    private DomainState newDomainState(String domain) {
        if (evictedPending.contains(domain)) {
            return loadFromStore(domain);
        }
        if (snapshots != null) {
            byte[] snapshot = snapshots.get(domain);
            if (snapshot != null) {
                try {
                    DomainState warm = SnapshotCodec.read(snapshot, runtime.source());
                    LOG.info("domain '{}' warm-started from its snapshot ({} frames)", domain, warm.frameCount());
                    return warm;
                } catch (SnapshotFormatException e) {
                    LOG.warn("snapshot of domain '{}' on the snapshots topic is unusable ({}); starting from source",
                            domain, e.getMessage());
                }
            }
        }
        return runner.adapter().newDomain(runtime.defaultPolicy());
    }

    private DomainState loadFromStore(String domain) {
        byte[] stored = store.get(domain);
        if (stored != null) {
            try {
                return SnapshotCodec.read(StoredDomain.snapshot(stored), runtime.source());
            } catch (SnapshotFormatException e) {
                LOG.warn("stored state of domain '{}' is unusable ({}); starting from source", domain, e.getMessage());
            }
        }
        return runner.adapter().newDomain(runtime.defaultPolicy());
    }

    private void write(String domain, LiveDomains.Entry entry) {
        byte[] value = StoredDomain.encode(entry.lastSeen, SnapshotCodec.write(entry.state, settings.storePrecision()));
        store.put(domain, value);
        entry.framesSinceWrite = 0;
        metrics.stateWritten(value.length);
    }

    private void flushAndEmitSnapshots() {
        forgetEvictedDomainsTheSnapshotsTopicHas();
        for (Map.Entry<String, LiveDomains.Entry> e : live.all()) {
            LiveDomains.Entry entry = e.getValue();
            if (entry.state == null) {
                continue;
            }
            if (entry.framesSinceWrite > 0) {
                write(e.getKey(), entry);
            }
            if (entry.state.version() != entry.emittedVersion) {
                emitSnapshot(e.getKey(), entry);
            }
        }
    }

    /** Deletes the stored state of evicted domains once the global snapshot store holds their eviction snapshot. */
    private void forgetEvictedDomainsTheSnapshotsTopicHas() {
        if (evictedPending.isEmpty()) {
            return;
        }
        java.util.Iterator<String> it = evictedPending.iterator();
        while (it.hasNext()) {
            String domain = it.next();
            byte[] stored = store.get(domain);
            byte[] published = snapshots.get(domain);
            if (stored == null || (published != null && java.util.Arrays.equals(StoredDomain.snapshot(stored), published))) {
                store.delete(domain);
                it.remove();
            }
        }
    }

    private byte[] emitSnapshot(String domain, LiveDomains.Entry entry) {
        byte[] snapshot = SnapshotCodec.write(entry.state);
        context.forward(new Record<>(domain, snapshot, context.currentSystemTimeMs()), names.snapshotsOut());
        entry.emittedVersion = entry.state.version();
        metrics.snapshotWritten(domain, snapshot.length);
        return snapshot;
    }

    private void deadLetter(Record<String, DomainEvent> record, DomainEvent.Frame frame, DeadLetterReason reason, String detail) {
        deadLetters.send(context, frame.originalKey(), frame.originalValue(), frame.originalHeaders(), record.timestamp(),
                reason, detail);
    }

    @Override
    public void close() {
        // the task may move to another instance: this one holds none of its domains any more
        metrics.liveDomains(taskName, 0);
        for (Map.Entry<String, LiveDomains.Entry> e : live.all()) {
            metrics.domainLeft(e.getKey());
        }
        if (runner != null) {
            runner.close();
        }
    }
}
