package io.adastream.topology;

import io.adastream.models.io.ImageDecodeException;
import io.adastream.models.io.ImageDecoder;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Validates and decodes frames: a valid domain id as the key, and as the value an image (PNG, JPEG, BMP, within
 * the size limits) or a pre-processed float tensor ({@code content-type: application/x-tensor-f32} with a
 * {@code shape} header matching the model input). Good frames go on to the adapting processor; anything else goes,
 * unchanged, to the dead-letter topic with its reason.
 */
public final class FrameValidator implements Processor<byte[], byte[], String, DomainEvent> {

    public static final String TENSOR_CONTENT_TYPE = "application/x-tensor-f32";

    private final ImageDecoder decoder;
    private final long[] tensorShape;
    private final String adaptNode;
    private final DeadLetters deadLetters;
    private ProcessorContext<String, DomainEvent> context;

    /**
     * @param tensorShape the model's per-frame input shape {C, H, W}, which tensor frames must match
     */
    public FrameValidator(ImageDecoder decoder, long[] tensorShape, String adaptNode, DeadLetters deadLetters) {
        this.decoder = decoder;
        this.tensorShape = tensorShape.clone();
        this.adaptNode = adaptNode;
        this.deadLetters = deadLetters;
    }

    @Override
    public void init(ProcessorContext<String, DomainEvent> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        if (record.key() == null || record.key().length == 0) {
            deadLetters.send(context, record, DeadLetterReason.MISSING_KEY, "the record has no key (the domain id)");
            return;
        }
        String domain = DomainIds.fromKey(record.key());
        if (domain == null) {
            deadLetters.send(context, record, DeadLetterReason.INVALID_DOMAIN_ID,
                    "the key is not a domain id (1-128 characters of A-Z a-z 0-9 . _ : -)");
            return;
        }
        byte[] value = record.value();
        if (value == null || value.length == 0) {
            deadLetters.send(context, record, DeadLetterReason.EMPTY_VALUE, "the record has no value");
            return;
        }
        long start = System.nanoTime();
        String contentType = header(record.headers(), "content-type");
        DomainEvent.Frame frame;
        if (TENSOR_CONTENT_TYPE.equals(contentType)) {
            float[] tensor = parseTensor(record);
            if (tensor == null) {
                return;
            }
            frame = new DomainEvent.Frame(frameId(record), null, tensor, System.nanoTime() - start,
                    record.key(), value, record.headers());
        } else {
            try {
                frame = new DomainEvent.Frame(frameId(record), decoder.decode(value), null, System.nanoTime() - start,
                        record.key(), value, record.headers());
            } catch (ImageDecodeException e) {
                deadLetters.send(context, record, reasonOf(e), e.getMessage());
                return;
            }
        }
        context.forward(new Record<String, DomainEvent>(domain, frame, record.timestamp(), record.headers()), adaptNode);
    }

    private float[] parseTensor(Record<byte[], byte[]> record) {
        String shape = header(record.headers(), "shape");
        String expected = tensorShape[0] + "," + tensorShape[1] + "," + tensorShape[2];
        if (shape == null || !shape.replace(" ", "").equals(expected)) {
            deadLetters.send(context, record, DeadLetterReason.BAD_TENSOR,
                    "tensor frames need the header shape=" + expected + ", got " + shape);
            return null;
        }
        long count = tensorShape[0] * tensorShape[1] * tensorShape[2];
        if (record.value().length != count * Float.BYTES) {
            deadLetters.send(context, record, DeadLetterReason.BAD_TENSOR,
                    "a tensor of shape " + expected + " needs " + count * Float.BYTES + " bytes, got " + record.value().length);
            return null;
        }
        float[] tensor = new float[(int) count];
        ByteBuffer.wrap(record.value()).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(tensor);
        for (float f : tensor) {
            if (!Float.isFinite(f)) {
                deadLetters.send(context, record, DeadLetterReason.NON_FINITE_INPUT, "the tensor has NaN or infinite values");
                return null;
            }
        }
        return tensor;
    }

    private String frameId(Record<byte[], byte[]> record) {
        String id = header(record.headers(), "frame-id");
        if (id != null && !id.isEmpty() && id.length() <= 256) {
            return id;
        }
        return context.recordMetadata()
                .map(m -> m.topic() + "-" + m.partition() + "-" + m.offset())
                .orElse("unknown");
    }

    static String header(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    static DeadLetterReason reasonOf(ImageDecodeException e) {
        return switch (e.reason()) {
            case EMPTY -> DeadLetterReason.EMPTY_VALUE;
            case UNKNOWN_FORMAT -> DeadLetterReason.UNKNOWN_FORMAT;
            case TRUNCATED -> DeadLetterReason.TRUNCATED_IMAGE;
            case CORRUPT -> DeadLetterReason.CORRUPT_IMAGE;
            case TOO_LARGE -> DeadLetterReason.IMAGE_TOO_LARGE;
            case UNSUPPORTED_CHANNELS -> DeadLetterReason.UNSUPPORTED_CHANNELS;
        };
    }
}
