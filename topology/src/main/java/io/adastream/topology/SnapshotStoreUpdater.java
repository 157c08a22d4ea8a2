package io.adastream.topology;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the global store of the latest snapshot per domain in step with the compacted snapshots topic, so that a
 * domain new to this instance can warm-start from it. Validation happens when a snapshot is used.
 */
public final class SnapshotStoreUpdater implements Processor<String, byte[], Void, Void> {

    private KeyValueStore<String, byte[]> store;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(TopologyNames.SNAPSHOT_STORE);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (record.key() == null || !DomainIds.isValid(record.key())) {
            return;
        }
        if (record.value() == null) {
            store.delete(record.key());
        } else {
            store.put(record.key(), record.value());
        }
    }
}
