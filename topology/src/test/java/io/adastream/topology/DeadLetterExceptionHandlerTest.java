package io.adastream.topology;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A record whose processing throws is dead-lettered with its source key, value and headers, and the next one passes. */
class DeadLetterExceptionHandlerTest {

    /** Forwards every record but throws on the value "boom". */
    static final class Fragile implements Processor<byte[], byte[], byte[], byte[]> {
        private ProcessorContext<byte[], byte[]> context;

        @Override
        public void init(ProcessorContext<byte[], byte[]> context) {
            this.context = context;
        }

        @Override
        public void process(Record<byte[], byte[]> record) {
            if (new String(record.value(), StandardCharsets.UTF_8).equals("boom")) {
                throw new IllegalStateException("boom\nsecond line");
            }
            context.forward(record);
        }
    }

    @Test
    void aThrowingRecordIsDeadLetteredAndProcessingGoesOn() {
        Topology topology = new Topology();
        topology.addSource("in", new ByteArrayDeserializer(), new ByteArrayDeserializer(), "frames");
        topology.addProcessor("fragile", Fragile::new, "in");
        topology.addSink("out", "predictions", new ByteArraySerializer(), new ByteArraySerializer(), "fragile");
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "handler-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterExceptionHandler.class.getName());
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "dead-letter");
        List<DeadLetterReason> counted = new ArrayList<>();
        props.put(DeadLetterExceptionHandler.COUNTER_CONFIG, (java.util.function.Consumer<DeadLetterReason>) counted::add);
        try (TopologyTestDriver driver = new TopologyTestDriver(topology, props)) {
            TestInputTopic<byte[], byte[]> in = driver.createInputTopic("frames", new ByteArraySerializer(), new ByteArraySerializer());
            TestOutputTopic<byte[], byte[]> out = driver.createOutputTopic("predictions", new ByteArrayDeserializer(), new ByteArrayDeserializer());
            TestOutputTopic<byte[], byte[]> dead = driver.createOutputTopic("dead-letter", new ByteArrayDeserializer(), new ByteArrayDeserializer());
            RecordHeaders headers = new RecordHeaders();
            headers.add("frame-id", "f1".getBytes(StandardCharsets.UTF_8));
            in.pipeInput(new TestRecord<>(bytes("cam"), bytes("boom"), headers));
            in.pipeInput(new TestRecord<>(bytes("cam"), bytes("fine")));

            List<TestRecord<byte[], byte[]>> letters = dead.readRecordsToList();
            assertEquals(1, letters.size());
            TestRecord<byte[], byte[]> letter = letters.get(0);
            assertEquals("cam", string(letter.key()));
            assertEquals("boom", string(letter.value()));
            assertEquals("f1", string(letter.headers().lastHeader("frame-id").value()));
            assertEquals("processing-error", string(letter.headers().lastHeader("error").value()));
            assertEquals("IllegalStateException: boom second line", string(letter.headers().lastHeader("error-detail").value()));
            assertEquals(List.of(DeadLetterReason.PROCESSING_ERROR), counted);
            List<TestRecord<byte[], byte[]>> passed = out.readRecordsToList();
            assertEquals(1, passed.size());
            assertEquals("fine", string(passed.get(0).value()));
            assertTrue(dead.isEmpty());
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String string(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
