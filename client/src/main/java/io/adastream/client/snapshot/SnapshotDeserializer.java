package io.adastream.client.snapshot;

import org.apache.kafka.common.serialization.Deserializer;

/**
 * The Kafka {@link Deserializer} of the snapshots topic's values ({@link SnapshotReader}); a null value (the
 * compacted topic's tombstone for a removed domain) gives null. Thread-safe.
 */
public final class SnapshotDeserializer implements Deserializer<DomainSnapshot> {

    @Override
    public DomainSnapshot deserialize(String topic, byte[] data) {
        return data == null ? null : SnapshotReader.read(data);
    }
}
