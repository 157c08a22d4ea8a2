package io.adastream.topology;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.internal.AbstractRecords;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The record size bound against the one the Kafka producer checks {@code max.request.size} with, and known sums. */
class RecordSizesTest {

    @Test
    void theBoundIsNeverBelowTheProducersAndAtMostAFewBytesAbove() {
        Random random = new Random(7);
        for (int i = 0; i < 1000; i++) {
            byte[] key = random.nextInt(5) == 0 ? null : new byte[random.nextInt(200)];
            byte[] value = random.nextInt(10) == 0 ? null : new byte[random.nextInt(1 << random.nextInt(22))];
            RecordHeaders headers = new RecordHeaders();
            for (int h = random.nextInt(4); h > 0; h--) {
                headers.add("header-" + "é".repeat(random.nextInt(3)) + h, new byte[random.nextInt(300)]);
            }
            int producers = AbstractRecords.estimateSizeInBytesUpperBound(RecordBatch.MAGIC_VALUE_V2, CompressionType.NONE,
                    key, value, headers.toArray());
            int ours = RecordSizes.upperBound(key == null ? -1 : key.length, value == null ? -1 : value.length, headers);
            assertTrue(ours >= producers, "ours " + ours + " < producer's " + producers);
            assertTrue(ours - producers <= 16 + 8 * headers.toArray().length, "ours " + ours + " vs " + producers);
        }
    }

    @Test
    void knownSums() {
        assertEquals(61 + 36, RecordSizes.upperBound(-1, -1, null));
        RecordHeaders headers = new RecordHeaders();
        headers.add("frame-id", new byte[2]);
        assertEquals(61 + 36 + 3 + 3000 + 10 + 8 + 2, RecordSizes.upperBound(3, 3000, headers));
        assertEquals(1 + 2 + 3 + 4, RecordSizes.utf8Length("aé€😀"));
        assertEquals(3, RecordSizes.keyLength("cam"));
        assertEquals(5, RecordSizes.keyLength(new byte[5]));
        assertEquals(-1, RecordSizes.keyLength(null));
    }

    @Test
    void limitsComeFromTheCeilingTheTopicAndRefusalsWhicheverIsLowest() {
        OutputLimits limits = new OutputLimits(1000);
        assertEquals(1000, limits.limit("t"));
        limits.topicLimit("t", 5000);
        assertEquals(1000, limits.limit("t"), "never above max.request.size");
        limits.topicLimit("t", 800);
        assertEquals(800, limits.limit("t"));
        limits.refused("t", 700);
        assertEquals(699, limits.limit("t"));
        limits.refused("t", 900);
        assertEquals(699, limits.limit("t"), "a larger refusal does not raise it");
        assertTrue(limits.fits("t", 699));
        assertTrue(!limits.fits("t", 700));
        assertEquals(1000, limits.limit("other"));
    }
}
