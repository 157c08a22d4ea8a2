package io.adastream.topology.ops;

import io.adastream.adapt.export.DomainModelExporter;
import io.adastream.adapt.stats.DomainState;
import io.adastream.adapt.stats.SnapshotCodec;
import io.adastream.adapt.stats.SnapshotFormatException;
import io.adastream.metrics.DirectoryUnavailableException;
import io.adastream.metrics.DomainDirectory;
import io.adastream.metrics.DomainSummary;
import io.adastream.topology.ModelRuntime;
import io.adastream.topology.StoredDomain;
import io.adastream.topology.TopologyNames;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The admin API's view of the live domains, through Kafka Streams interactive queries on the {@value
 * TopologyNames#DOMAIN_STORE} store (all local active tasks). With {@code application.server} set to each
 * instance's {@code host:metrics.port}, domains held by other instances are fetched from them over HTTP ({@code
 * ?scope=local}); without it, only this instance's domains are visible. Resets go through the control topic.
 */
public final class StreamsDomainDirectory implements DomainDirectory {

    /** Sends a control command for a domain (the service produces it to the control topic). */
    public interface ControlSender {
        void send(String domain, String commandJson) throws DirectoryUnavailableException;
    }

    private final KafkaStreams streams;
    private final ModelRuntime runtime;
    private final HostInfo self;
    private final RemoteInstances remote;
    private final ControlSender control;

    /**
     * @param self   this instance's {@code application.server}, or null when not set (local domains only)
     * @param remote how to ask the other instances
     */
    public StreamsDomainDirectory(KafkaStreams streams, ModelRuntime runtime, HostInfo self, RemoteInstances remote,
                                  ControlSender control) {
        this.streams = streams;
        this.runtime = runtime;
        this.self = self;
        this.remote = remote;
        this.control = control;
    }

    @Override
    public List<DomainSummary> domains(boolean localOnly) throws DirectoryUnavailableException {
        List<DomainSummary> out = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = store().all()) {
            while (it.hasNext()) {
                var kv = it.next();
                if (!StoredDomain.isEvicted(kv.value)) {
                    out.add(summary(kv.key, kv.value));
                }
            }
        } catch (InvalidStateStoreException e) {
            throw unavailable(e);
        }
        if (!localOnly && self != null) {
            for (StreamsMetadata m : otherInstances()) {
                out.addAll(remote.domains(m.hostInfo()));
            }
        }
        out.sort(Comparator.comparing(DomainSummary::domain));
        return out;
    }

    @Override
    public Optional<byte[]> snapshot(String domain, boolean localOnly) throws DirectoryUnavailableException {
        byte[] stored = local(domain);
        if (stored != null) {
            return Optional.of(StoredDomain.snapshot(stored));
        }
        HostInfo owner = localOnly ? null : remoteOwner(domain);
        return owner == null ? Optional.empty() : remote.get(owner, domain, "snapshot");
    }

    @Override
    public Optional<byte[]> modelOnnx(String domain, boolean localOnly) throws DirectoryUnavailableException {
        byte[] stored = local(domain);
        if (stored != null) {
            DomainState state = decode(domain, stored);
            int layers = runtime.adaptive().layerCount();
            float[][] mean = new float[layers][];
            float[][] var = new float[layers][];
            for (int l = 0; l < layers; l++) {
                mean[l] = state.fedMean(l).clone();
                var[l] = state.fedVar(l).clone();
            }
            return Optional.of(DomainModelExporter.export(runtime.original(), runtime.adaptive().layers(), mean, var, domain));
        }
        HostInfo owner = localOnly ? null : remoteOwner(domain);
        return owner == null ? Optional.empty() : remote.get(owner, domain, "model.onnx");
    }

    @Override
    public boolean reset(String domain) throws DirectoryUnavailableException {
        boolean known = local(domain) != null;
        if (!known) {
            HostInfo owner = remoteOwner(domain);
            known = owner != null && remote.get(owner, domain, "snapshot").isPresent();
        }
        if (known) {
            control.send(domain, "{\"command\":\"reset\"}");
        }
        return known;
    }

    private byte[] local(String domain) throws DirectoryUnavailableException {
        try {
            return store().get(domain);
        } catch (InvalidStateStoreException e) {
            throw unavailable(e);
        }
    }

    private ReadOnlyKeyValueStore<String, byte[]> store() throws DirectoryUnavailableException {
        KafkaStreams.State state = streams.state();
        if (state != KafkaStreams.State.RUNNING && state != KafkaStreams.State.REBALANCING) {
            throw new DirectoryUnavailableException("the streams app is " + state);
        }
        try {
            return streams.store(StoreQueryParameters.fromNameAndType(TopologyNames.DOMAIN_STORE,
                    QueryableStoreTypes.<String, byte[]>keyValueStore()));
        } catch (InvalidStateStoreException e) {
            throw unavailable(e);
        }
    }

    /** The other instance that holds the domain's active task, or null (unknown, or this instance). */
    private HostInfo remoteOwner(String domain) throws DirectoryUnavailableException {
        if (self == null) {
            return null;
        }
        KeyQueryMetadata meta = streams.queryMetadataForKey(TopologyNames.DOMAIN_STORE, domain, Serdes.String().serializer());
        if (meta == null || meta == KeyQueryMetadata.NOT_AVAILABLE) {
            throw new DirectoryUnavailableException("the domain's owner is not known yet (rebalancing)");
        }
        HostInfo owner = meta.activeHost();
        return owner == null || owner.equals(self) || owner.port() <= 0 ? null : owner;
    }

    private List<StreamsMetadata> otherInstances() {
        List<StreamsMetadata> out = new ArrayList<>();
        for (StreamsMetadata m : streams.metadataForAllStreamsClients()) {
            if (!m.hostInfo().equals(self) && m.hostInfo().port() > 0 && m.stateStoreNames().contains(TopologyNames.DOMAIN_STORE)) {
                out.add(m);
            }
        }
        return out;
    }

    private DomainSummary summary(String domain, byte[] stored) {
        String instance = self == null ? "" : self.host() + ":" + self.port();
        try {
            DomainState s = decode(domain, stored);
            return new DomainSummary(domain, s.frameCount(), s.version(), s.policy().name(), s.frozen(),
                    s.segments() == null ? 0 : s.segments().size(), StoredDomain.lastSeen(stored), stored.length, instance);
        } catch (IllegalStateException e) {
            return new DomainSummary(domain, -1, -1, "unreadable", false, 0, StoredDomain.lastSeen(stored), stored.length, instance);
        }
    }

    private DomainState decode(String domain, byte[] stored) {
        try {
            return SnapshotCodec.read(StoredDomain.snapshot(stored), runtime.source());
        } catch (SnapshotFormatException e) {
            throw new IllegalStateException("stored state of '" + domain + "' is unreadable: " + e.getMessage(), e);
        }
    }

    private static DirectoryUnavailableException unavailable(InvalidStateStoreException e) {
        return new DirectoryUnavailableException("the domain store is not queryable now (" + e.getClass().getSimpleName() + ")", e);
    }
}
