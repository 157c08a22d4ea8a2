package io.adastream.topology.labels;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.adastream.models.task.TaskResult;
import io.adastream.topology.DeadLetterReason;
import io.adastream.topology.DeadLetters;
import io.adastream.topology.DomainIds;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import java.io.IOException;

/**
 * Checks ground-truth records of the labels topic (key: domain id; value: {@code {"frame_id": ..., "truth": {...}}}
 * with the truth in the format of a prediction's {@code result}) and passes them to the {@link LabelJoiner};
 * malformed ones go to the dead-letter topic.
 */
public final class LabelParser implements Processor<byte[], byte[], String, Object> {

    /** The longest frame id a label may name. */
    public static final int MAX_FRAME_ID = 256;

    /** A checked label: the frame it is for, its parsed ground truth, and its original bytes (kept while it waits). */
    public record Label(String frameId, TaskResult truth, byte[] json) {
    }

    /** Duplicate keys are refused: a label with two {@code frame_id}s or two masks for a class has no single meaning. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private final ResultJson results;
    private final DeadLetters deadLetters;
    private final String joiner;
    private ProcessorContext<String, Object> context;

    public LabelParser(ResultJson results, DeadLetters deadLetters, String joiner) {
        this.results = results;
        this.deadLetters = deadLetters;
        this.joiner = joiner;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        if (record.key() == null || record.key().length == 0) {
            deadLetters.send(context, record, DeadLetterReason.MISSING_KEY, "labels need their domain id as the key");
            return;
        }
        String domain = DomainIds.fromKey(record.key());
        if (domain == null) {
            deadLetters.send(context, record, DeadLetterReason.INVALID_DOMAIN_ID,
                    "the key is not a domain id (1-128 characters of A-Z a-z 0-9 . _ : -, starting with a letter or digit)");
            return;
        }
        if (record.value() == null || record.value().length == 0) {
            deadLetters.send(context, record, DeadLetterReason.EMPTY_VALUE, "a label needs a JSON value");
            return;
        }
        Label label;
        try {
            label = parse(record.value());
        } catch (IllegalArgumentException e) {
            deadLetters.send(context, record, DeadLetterReason.BAD_LABEL, e.getMessage());
            return;
        }
        context.forward(new Record<String, Object>(domain, label, record.timestamp()), joiner);
    }

    /** Parses and checks a label value. */
    Label parse(byte[] value) {
        JsonNode node = tree(value);
        return new Label(frameId(node), truth(node), value);
    }

    /** The ground truth of a label value that was checked before. */
    TaskResult truth(byte[] value) {
        return truth(tree(value));
    }

    private TaskResult truth(JsonNode node) {
        try {
            return results.read(node.get("truth"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'truth': " + e.getMessage(), e);
        }
    }

    private static JsonNode tree(byte[] value) {
        JsonNode node;
        try {
            node = JSON.readTree(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("a label must be a JSON object with 'frame_id' and 'truth'");
        }
        return node;
    }

    private static String frameId(JsonNode node) {
        JsonNode id = node.get("frame_id");
        if (id == null || !id.isTextual() || id.asText().isEmpty() || id.asText().length() > MAX_FRAME_ID) {
            throw new IllegalArgumentException("'frame_id' must be a string of 1.." + MAX_FRAME_ID + " characters");
        }
        return id.asText();
    }
}
