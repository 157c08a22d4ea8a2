package io.adastream.topology;

/** Names of the topology's nodes and stores, and the topics it reads and writes. */
public record TopologyNames(String framesTopic, String controlTopic, String predictionsTopic, String snapshotsTopic,
                            String deadLetterTopic) {

    public static final String DOMAIN_STORE = "domain-state";
    /** The two-tier path's baked statistics per domain (only while the path is on). */
    public static final String BAKE_STORE = "two-tier-bakes";
    public static final String SNAPSHOT_STORE = "domain-snapshots";

    static final String FRAMES_SOURCE = "frames";
    static final String CONTROL_SOURCE = "control";
    static final String VALIDATE = "validate";
    static final String PARSE_CONTROL = "parse-control";
    static final String ADAPT = "adapt";
    /** The nodes processors forward outputs to: each an {@link OutputSizeGuard} in front of its sink. */
    static final String PREDICTIONS_OUT = "predictions";
    static final String SNAPSHOTS_OUT = "snapshots";
    static final String DEAD_LETTER_OUT = "dead-letter";
    static final String PREDICTIONS_SINK = "predictions-sink";
    static final String SNAPSHOTS_SINK = "snapshots-sink";
    static final String DEAD_LETTER_SINK = "dead-letter-sink";
    static final String SNAPSHOTS_GLOBAL_SOURCE = "snapshots-global-source";
    static final String SNAPSHOTS_GLOBAL_UPDATER = "snapshots-global-updater";
    static final String LABELS_SOURCE = "labels";
    static final String PARSE_LABELS = "parse-labels";
    static final String SCORE_LABELS = "score-labels";

    /** The node a prediction is forwarded to. */
    public String predictionsOut() {
        return PREDICTIONS_OUT;
    }

    /** The node a snapshot is forwarded to. */
    public String snapshotsOut() {
        return SNAPSHOTS_OUT;
    }
}
