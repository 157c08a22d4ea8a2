package io.adastream.topology;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownServerException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler.Response;
import org.apache.kafka.streams.errors.ProductionExceptionHandler.Result;
import org.apache.kafka.streams.errors.ProductionExceptionHandler.SerializationExceptionOrigin;
import org.apache.kafka.streams.errors.internals.DefaultErrorHandlerContext;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The production-exception handler's answer to each kind of send error, under at-least-once and exactly-once. */
class OutputExceptionHandlerTest {

    private final OutputLimits limits = new OutputLimits(1_048_576);
    private final List<DeadLetterReason> counted = new ArrayList<>();
    private final ErrorHandlerContext context = new DefaultErrorHandlerContext(null, "frames", 0, 7, new RecordHeaders(),
            "predictions-sink", null, 1000L, null, null);

    private OutputExceptionHandler handler(String guarantee) {
        Map<String, Object> configs = new HashMap<>();
        configs.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "dead-letter");
        configs.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
        configs.put(DeadLetterExceptionHandler.COUNTER_CONFIG, (java.util.function.Consumer<DeadLetterReason>) counted::add);
        configs.put(OutputExceptionHandler.LIMITS_CONFIG, limits);
        OutputExceptionHandler h = new OutputExceptionHandler();
        h.configure(configs);
        return h;
    }

    /** A 3,000-byte prediction keyed "cam" with a frame-id header: 61 + 36 + 3 + 3000 + (10 + 8 + 2) = 3,120 bytes at most. */
    private static ProducerRecord<byte[], byte[]> prediction() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("frame-id", bytes("f1"));
        return new ProducerRecord<>("predictions", null, 1000L, bytes("cam"), new byte[3000], headers);
    }

    @Test
    void aRecordTooLargeIsDeadLetteredSmallAndItsTopicLimitLowered() {
        Response r = handler("at_least_once").handleError(context, prediction(), new RecordTooLargeException("too big"));
        assertEquals(Result.RESUME, r.result());
        assertEquals(1, r.deadLetterQueueRecords().size());
        ProducerRecord<byte[], byte[]> letter = r.deadLetterQueueRecords().get(0);
        assertEquals("dead-letter", letter.topic());
        assertArrayEquals(bytes("cam"), letter.key());
        assertNull(letter.value());
        assertEquals(1000L, letter.timestamp());
        assertEquals("f1", header(letter, "frame-id"));
        assertEquals("output-too-large", header(letter, "error"));
        assertEquals("record to predictions (3120 bytes) not written: RecordTooLargeException: too big", header(letter, "error-detail"));
        assertEquals(3119, limits.limit("predictions"));
        assertEquals(1_048_576, limits.limit("snapshots"));
        assertEquals(List.of(DeadLetterReason.OUTPUT_TOO_LARGE), counted);
    }

    @Test
    void eachRecordLevelErrorHasItsReason() {
        OutputExceptionHandler h = handler("at_least_once");
        Map<Exception, String> expected = Map.of(
                new RecordBatchTooLargeException("batch"), "output-too-large",
                new InvalidRecordException("compacted topic needs a key"), "output-rejected",
                new CorruptRecordException("crc"), "output-rejected",
                new InvalidTimestampException("too far in the future"), "output-rejected");
        for (Map.Entry<Exception, String> e : expected.entrySet()) {
            Response r = h.handleError(context, prediction(), e.getKey());
            assertEquals(Result.RESUME, r.result(), e.getKey().toString());
            assertEquals(e.getValue(), header(r.deadLetterQueueRecords().get(0), "error"), e.getKey().toString());
        }
        assertEquals(4, counted.size());
    }

    @Test
    void errorsThatAreNotTheRecordsFailAsKafkaStreamsDefaultDoes() {
        OutputExceptionHandler h = handler("at_least_once");
        assertEquals(Result.RETRY, h.handleError(context, prediction(), new TimeoutException("broker gone")).result());
        assertEquals(Result.RETRY, h.handleError(context, prediction(), new NotEnoughReplicasException("isr")).result());
        Response denied = h.handleError(context, prediction(), new TopicAuthorizationException(Set.of("predictions")));
        assertEquals(Result.FAIL, denied.result());
        assertTrue(denied.deadLetterQueueRecords().isEmpty());
        assertEquals(Result.FAIL, h.handleError(context, prediction(), new UnknownServerException("?")).result());
        assertTrue(counted.isEmpty());
        assertEquals(1_048_576, limits.limit("predictions"));
    }

    @Test
    void underExactlyOnceARefusedRecordFailsTheTransactionButLowersTheLimit() {
        Response r = handler("exactly_once_v2").handleError(context, prediction(), new RecordTooLargeException("too big"));
        assertEquals(Result.FAIL, r.result());
        assertTrue(r.deadLetterQueueRecords().isEmpty(), "nothing can be sent in a transaction in error");
        assertEquals(3119, limits.limit("predictions"));
        assertTrue(counted.isEmpty());
    }

    @Test
    void aSerializationErrorIsDeadLetteredUnderEitherGuarantee() {
        for (String guarantee : List.of("at_least_once", "exactly_once_v2")) {
            RecordHeaders headers = new RecordHeaders();
            headers.add("frame-id", bytes("f2"));
            ProducerRecord<String, Object> record = new ProducerRecord<>("predictions", null, 5L, "cam", new Object(), headers);
            Response value = handler(guarantee).handleSerializationError(context, record,
                    new SerializationException("cannot"), SerializationExceptionOrigin.VALUE);
            assertEquals(Result.RESUME, value.result());
            ProducerRecord<byte[], byte[]> letter = value.deadLetterQueueRecords().get(0);
            assertArrayEquals(bytes("cam"), letter.key());
            assertNull(letter.value());
            assertEquals("output-unserializable", header(letter, "error"));
            assertEquals("record to predictions not written: SerializationException: cannot", header(letter, "error-detail"));
            Response key = handler(guarantee).handleSerializationError(context, record,
                    new SerializationException("cannot"), SerializationExceptionOrigin.KEY);
            assertNull(key.deadLetterQueueRecords().get(0).key(), "a key that failed to serialize is left out");
        }
        assertEquals(List.of(DeadLetterReason.OUTPUT_UNSERIALIZABLE, DeadLetterReason.OUTPUT_UNSERIALIZABLE,
                DeadLetterReason.OUTPUT_UNSERIALIZABLE, DeadLetterReason.OUTPUT_UNSERIALIZABLE), counted);
    }

    @Test
    void largeKeysAndHeadersStayOutOfTheLetterAndAFailedLetterIsNotRetried() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("frame-id", bytes("f3"));
        headers.add("thumbnail", new byte[OutputExceptionHandler.MAX_KEPT_BYTES + 1]);
        headers.add("error", bytes("corrupt-image"));
        ProducerRecord<byte[], byte[]> deadLetter = new ProducerRecord<>("dead-letter", null, 9L,
                new byte[OutputExceptionHandler.MAX_KEPT_BYTES + 1], new byte[5000], headers);
        OutputExceptionHandler h = handler("at_least_once");
        ProducerRecord<byte[], byte[]> small = h.handleError(context, deadLetter, new RecordTooLargeException("x"))
                .deadLetterQueueRecords().get(0);
        assertNull(small.key());
        assertNull(small.headers().lastHeader("thumbnail"));
        assertEquals("f3", header(small, "frame-id"));
        assertEquals(1, countHeaders(small, "error"), "the old reason is replaced");
        assertEquals("output-too-large", header(small, "error"));
        Response again = h.handleError(context, small, new RecordTooLargeException("still"));
        assertEquals(Result.RESUME, again.result());
        assertTrue(again.deadLetterQueueRecords().isEmpty(), "a small letter that fails is dropped, not rewritten forever");
        assertEquals(List.of(DeadLetterReason.OUTPUT_TOO_LARGE), counted);
    }

    private static int countHeaders(ProducerRecord<byte[], byte[]> r, String name) {
        int n = 0;
        for (var h : r.headers().headers(name)) {
            n++;
        }
        return n;
    }

    private static String header(ProducerRecord<byte[], byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
