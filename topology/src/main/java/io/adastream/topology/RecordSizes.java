package io.adastream.topology;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * An upper bound of the bytes a record takes in an uncompressed record batch of its own (batch header, record
 * framing with the widest varints, key, value and headers): what the producer's {@code max.request.size} check and
 * the broker's {@code max.message.bytes} check can see at most for that record.
 */
public final class RecordSizes {

    /** The v2 record batch header. */
    private static final int BATCH_HEADER = 61;
    /** Length, attributes, timestamp delta, offset delta, key length, value length and header count at their widest. */
    private static final int RECORD_FRAMING = 5 + 1 + 10 + 5 + 5 + 5 + 5;
    /** A header's key and value lengths at their widest. */
    private static final int HEADER_FRAMING = 5 + 5;

    private RecordSizes() {
    }

    /** The bound for a record with a key and value of these lengths (-1 or 0 for none) and these headers (or null). */
    public static int upperBound(int keyLength, int valueLength, Headers headers) {
        long size = BATCH_HEADER + RECORD_FRAMING + Math.max(0, keyLength) + Math.max(0, valueLength);
        if (headers != null) {
            for (Header h : headers) {
                size += HEADER_FRAMING + utf8Length(h.key()) + (h.value() == null ? 0 : h.value().length);
            }
        }
        return (int) Math.min(Integer.MAX_VALUE, size);
    }

    /** The bytes of {@code s} in UTF-8 without encoding it. */
    static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /** The key's length as the sinks serialize it (byte[] as is, anything else as its string in UTF-8), -1 for null. */
    static int keyLength(Object key) {
        if (key == null) {
            return -1;
        }
        if (key instanceof byte[] b) {
            return b.length;
        }
        return utf8Length(key.toString());
    }
}
