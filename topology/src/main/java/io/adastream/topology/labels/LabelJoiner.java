package io.adastream.topology.labels;

import io.adastream.models.task.TaskResult;
import io.adastream.topology.DeadLetterReason;
import io.adastream.topology.DeadLetters;
import io.adastream.topology.ServiceMetrics;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Online accuracy: joins each prediction (a {@link PredictedFrame} from the adapting processor) with the ground truth of the same frame id
 * on the labels topic (from {@link LabelParser}) when they arrive at most the join window apart (wall-clock time
 * of this task, so that no producer's timestamps can push the stores' retention), whichever comes first, and
 * reports the domain's accuracy over its last N labeled frames, adapted and source, as metrics. Whichever side
 * arrives first waits in a window store (not changelogged: the accuracy is a metric, and a restart only forgets
 * the frames still waiting); a label whose truth does not fit its frame goes to the dead-letter topic.
 */
public final class LabelJoiner implements Processor<String, Object, byte[], byte[]> {

    public static final String PREDICTIONS_STORE = "accuracy-predictions";
    public static final String LABELS_STORE = "accuracy-labels";

    /** The join window and the number of labeled frames each domain's accuracy is over. */
    public record Settings(Duration window, int frames) {
        public Settings {
            if (window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("the label join window must be positive");
            }
            if (frames < 1) {
                throw new IllegalArgumentException("the accuracy window needs at least one frame");
            }
        }

        /** How long the stores keep a waiting side: the window on both sides of the record, plus a minute of slack. */
        public Duration retention() {
            return window.multipliedBy(2).plusMinutes(1);
        }
    }

    private final Settings settings;
    private final LabelParser labels;
    private final boolean segmentation;
    private final int classes;
    private final int maxDomains;
    private OnlineAccuracy accuracy;
    private final DeadLetters deadLetters;
    private final ServiceMetrics metrics;
    private ProcessorContext<byte[], byte[]> context;
    private WindowStore<String, PredictedFrame> waitingPredictions;
    private WindowStore<String, byte[]> waitingLabels;

    /** @param labels reads the truth of a label that waited */
    public LabelJoiner(Settings settings, LabelParser labels, boolean segmentation, int classes,
                       int maxDomains, DeadLetters deadLetters, ServiceMetrics metrics) {
        this.settings = settings;
        this.labels = labels;
        this.segmentation = segmentation;
        this.classes = classes;
        this.maxDomains = maxDomains;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
        this.waitingPredictions = context.getStateStore(PREDICTIONS_STORE);
        this.waitingLabels = context.getStateStore(LABELS_STORE);
        // a revived task replays its uncommitted records: score them afresh
        this.accuracy = new OnlineAccuracy(segmentation, classes, settings.frames(), maxDomains);
    }

    @Override
    public void process(Record<String, Object> record) {
        long now = context.currentSystemTimeMs();
        if (record.value() instanceof PredictedFrame prediction) {
            onPrediction(record.key(), prediction, now);
        } else if (record.value() instanceof LabelParser.Label label) {
            onLabel(record.key(), label, now);
        }
    }

    private void onPrediction(String domain, PredictedFrame prediction, long timestamp) {
        String key = key(domain, prediction.frameId());
        KeyValue<Long, byte[]> label = takeWaiting(waitingLabels, key, timestamp);
        if (label == null) {
            waitingPredictions.put(key, prediction, timestamp);
            return;
        }
        score(domain, prediction, labels.truth(label.value), label.value, label.key);
    }

    private void onLabel(String domain, LabelParser.Label label, long timestamp) {
        String key = key(domain, label.frameId());
        KeyValue<Long, PredictedFrame> prediction = takeWaiting(waitingPredictions, key, timestamp);
        if (prediction == null) {
            waitingLabels.put(key, label.json(), timestamp);
            return;
        }
        score(domain, prediction.value, label.truth(), label.json(), timestamp);
    }

    /** Removes and returns the entry of {@code key} waiting within the join window of {@code timestamp}, or null. */
    private <V> KeyValue<Long, V> takeWaiting(WindowStore<String, V> store, String key, long timestamp) {
        long window = settings.window().toMillis();
        KeyValue<Long, V> found = null;
        try (WindowStoreIterator<V> it = store.fetch(key, timestamp - window, timestamp + window)) {
            if (it.hasNext()) {
                found = it.next();
            }
        }
        if (found != null) {
            store.put(key, null, found.key);
        }
        return found;
    }

    private void score(String domain, PredictedFrame prediction, TaskResult truth, byte[] labelJson,
                       long labelTimestamp) {
        TaskResult adapted = prediction.result();
        TaskResult source = prediction.sourceResult();
        String frameId = prediction.frameId();
        String mismatch = mismatch(truth, adapted);
        if (mismatch != null) {
            deadLetters.send(context, domain.getBytes(StandardCharsets.UTF_8), labelJson, new RecordHeaders(),
                    labelTimestamp, DeadLetterReason.BAD_LABEL, "the label of frame '" + frameId + "' " + mismatch);
            return;
        }
        OnlineAccuracy.Scores s = accuracy.add(domain, truth, adapted, source);
        metrics.labeledFrame(domain);
        metrics.accuracy(domain, "adapted", accuracy.measure(), s.adapted());
        if (source != null) {
            metrics.accuracy(domain, "source", accuracy.measure(), s.source());
        }
    }

    private static String mismatch(TaskResult truth, TaskResult prediction) {
        return truth.width() == prediction.width() && truth.height() == prediction.height() ? null
                : "is " + truth.width() + "x" + truth.height() + " but the frame is " + prediction.width() + "x"
                + prediction.height();
    }

    /** The store key of a frame: domain ids cannot contain NUL, so the pair is unambiguous. */
    private static String key(String domain, String frameId) {
        return domain + '\u0000' + frameId;
    }
}
