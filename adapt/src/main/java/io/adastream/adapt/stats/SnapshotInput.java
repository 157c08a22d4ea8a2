package io.adastream.adapt.stats;

import io.adastream.adapt.stats.SnapshotFormatException.Reason;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** A bounds-checked big-endian reader over a snapshot's bytes; every failure is a {@link SnapshotFormatException}. */
final class SnapshotInput {

    private final ByteBuffer buffer;

    SnapshotInput(byte[] bytes, int limit) {
        this.buffer = ByteBuffer.wrap(bytes, 0, limit);
    }

    int position() {
        return buffer.position();
    }

    int remaining() {
        return buffer.remaining();
    }

    private void need(int bytes, String what) throws SnapshotFormatException {
        if (buffer.remaining() < bytes) {
            throw new SnapshotFormatException(Reason.TRUNCATED, "input ends at byte " + buffer.limit() + " while reading "
                    + what + " (" + bytes + " bytes needed at " + buffer.position() + ")");
        }
    }

    int u8(String what) throws SnapshotFormatException {
        need(1, what);
        return buffer.get() & 0xff;
    }

    int u16(String what) throws SnapshotFormatException {
        need(2, what);
        return buffer.getShort() & 0xffff;
    }

    int i32(String what) throws SnapshotFormatException {
        need(4, what);
        return buffer.getInt();
    }

    long u32(String what) throws SnapshotFormatException {
        need(4, what);
        return buffer.getInt() & 0xffffffffL;
    }

    long i64(String what) throws SnapshotFormatException {
        need(8, what);
        return buffer.getLong();
    }

    /** A non-negative 64-bit count. */
    long count(String what) throws SnapshotFormatException {
        long v = i64(what);
        if (v < 0) {
            throw new SnapshotFormatException(Reason.MALFORMED, what + " is negative: " + v);
        }
        return v;
    }

    /** A finite double. */
    double f64(String what) throws SnapshotFormatException {
        need(8, what);
        double v = buffer.getDouble();
        if (!Double.isFinite(v)) {
            throw new SnapshotFormatException(Reason.NON_FINITE, what + " is " + v);
        }
        return v;
    }

    /** Fills {@code out} with finite doubles (non-negative ones if {@code variance}). */
    void f64s(double[] out, boolean variance, String what) throws SnapshotFormatException {
        need(8 * out.length, what);
        for (int i = 0; i < out.length; i++) {
            double v = buffer.getDouble();
            if (!Double.isFinite(v)) {
                throw new SnapshotFormatException(Reason.NON_FINITE, what + "[" + i + "] is " + v);
            }
            if (variance && v < 0) {
                throw new SnapshotFormatException(Reason.MALFORMED, what + "[" + i + "] is a negative variance " + v);
            }
            out[i] = v;
        }
    }

    /** Per-channel statistics in the snapshot's precision, as doubles (non-negative ones if {@code variance}). */
    void stats(double[] out, boolean variance, String what, StatisticsPrecision precision) throws SnapshotFormatException {
        switch (precision) {
            case FLOAT64 -> f64s(out, variance, what);
            case FLOAT32 -> {
                need(4 * out.length, what);
                for (int i = 0; i < out.length; i++) {
                    out[i] = checked(buffer.getFloat(), variance, what, i);
                }
            }
            case FLOAT16 -> {
                float scale = (float) f64(what + " scale");
                if (!(scale > 0) || Math.getExponent(scale) < -126 || Math.getExponent(scale) > 127
                        || scale != Math.scalb(1f, Math.getExponent(scale))) {
                    throw new SnapshotFormatException(Reason.MALFORMED, what + " has an invalid scale " + scale);
                }
                need(2 * out.length, what);
                for (int i = 0; i < out.length; i++) {
                    out[i] = checked(HalfFloat.toFloat(buffer.getShort()), variance, what, i) * (double) scale;
                }
            }
        }
    }

    private static double checked(float v, boolean variance, String what, int i) throws SnapshotFormatException {
        if (!Float.isFinite(v)) {
            throw new SnapshotFormatException(Reason.NON_FINITE, what + "[" + i + "] is " + v);
        }
        if (variance && v < 0) {
            throw new SnapshotFormatException(Reason.MALFORMED, what + "[" + i + "] is a negative variance " + v);
        }
        return v;
    }

    /** Fills {@code out} with finite floats (non-negative ones if {@code variance}). */
    void f32s(float[] out, boolean variance, String what) throws SnapshotFormatException {
        need(4 * out.length, what);
        for (int i = 0; i < out.length; i++) {
            float v = buffer.getFloat();
            if (!Float.isFinite(v)) {
                throw new SnapshotFormatException(Reason.NON_FINITE, what + "[" + i + "] is " + v);
            }
            if (variance && v < 0) {
                throw new SnapshotFormatException(Reason.MALFORMED, what + "[" + i + "] is a negative variance " + v);
            }
            out[i] = v;
        }
    }

    void bytes(byte[] out, String what) throws SnapshotFormatException {
        need(out.length, what);
        buffer.get(out);
    }

    /** A UTF-8 string of at most {@code maxBytes} bytes, prefixed by its u16 length. */
    String string(int maxBytes, String what) throws SnapshotFormatException {
        int length = u16(what + " length");
        if (length > maxBytes) {
            throw new SnapshotFormatException(Reason.OVERSIZED, what + " is " + length + " bytes long; at most "
                    + maxBytes + " allowed");
        }
        need(length, what);
        ByteBuffer slice = buffer.slice();
        slice.limit(length);
        buffer.position(buffer.position() + length);
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(slice);
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new SnapshotFormatException(Reason.MALFORMED, what + " is not valid UTF-8");
        }
    }
}
