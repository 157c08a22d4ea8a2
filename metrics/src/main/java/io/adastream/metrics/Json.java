package io.adastream.metrics;

import java.util.List;

/** The few JSON bits the endpoints write: escaped strings and flat objects. */
final class Json {

    private Json() {
    }

    static String quote(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    static String array(List<String> jsonValues) {
        return "[" + String.join(",", jsonValues) + "]";
    }

    /** Builds {@code {"a": ..., "b": ...}} in insertion order. */
    static final class ObjectWriter {
        private final StringBuilder b = new StringBuilder("{");

        ObjectWriter field(String name, String value) {
            return raw(name, quote(value));
        }

        ObjectWriter field(String name, long value) {
            return raw(name, Long.toString(value));
        }

        ObjectWriter field(String name, boolean value) {
            return raw(name, Boolean.toString(value));
        }

        ObjectWriter raw(String name, String json) {
            if (b.length() > 1) {
                b.append(',');
            }
            b.append(quote(name)).append(':').append(json);
            return this;
        }

        @Override
        public String toString() {
            return b + "}";
        }
    }
}
