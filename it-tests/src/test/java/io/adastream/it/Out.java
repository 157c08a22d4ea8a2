package io.adastream.it;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;

/** One record to send: topic, key and value bytes (either may be null), headers, and what it is (for reports). */
record Out(String topic, byte[] key, byte[] value, Headers headers, String label) {

    static Out frame(String topic, String domain, String frameId, byte[] image) {
        RecordHeaders h = new RecordHeaders();
        h.add("frame-id", utf8(frameId));
        return new Out(topic, utf8(domain), image, h, frameId);
    }

    Out header(String name, String value) {
        headers.add(name, utf8(value));
        return this;
    }

    String domain() {
        return key == null ? null : new String(key, StandardCharsets.UTF_8);
    }

    static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }
}
