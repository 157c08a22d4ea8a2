package io.adastream.topology;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Creates the service's topics where they are missing: frames and control with the same partition count (they
 * are co-partitioned by domain), a compacted snapshots topic, predictions, dead letters and labels.
 */
public final class TopicsSetup {

    private TopicsSetup() {
    }

    /** Creates the missing topics; returns the names it created. */
    public static List<String> ensure(Properties adminProperties, TopologyNames names, String labelsTopic, int partitions,
                                      short replication) throws InterruptedException, ExecutionException, TimeoutException {
        try (Admin admin = Admin.create(adminProperties)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> wanted = new ArrayList<>();
            wanted.add(new NewTopic(names.framesTopic(), partitions, replication));
            wanted.add(new NewTopic(names.controlTopic(), partitions, replication));
            wanted.add(new NewTopic(names.predictionsTopic(), partitions, replication));
            wanted.add(new NewTopic(names.deadLetterTopic(), partitions, replication));
            wanted.add(new NewTopic(labelsTopic, partitions, replication));
            wanted.add(new NewTopic(names.snapshotsTopic(), partitions, replication)
                    .configs(Map.of("cleanup.policy", "compact")));
            List<NewTopic> missing = wanted.stream().filter(t -> !existing.contains(t.name())).toList();
            try {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            return missing.stream().map(NewTopic::name).toList();
        }
    }
}
