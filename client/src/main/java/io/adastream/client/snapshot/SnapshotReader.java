package io.adastream.client.snapshot;

import io.adastream.client.snapshot.SnapshotReadException.Reason;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Reads the binary domain snapshots of the snapshots topic (format versions 2 to 4, {@code adapt/SNAPSHOT-FORMAT.md})
 * without the model: layer and channel counts come from the snapshot itself, and every length is checked against
 * the bytes that remain before anything is allocated, so hostile input cannot exhaust memory. Anything that is not
 * a well-formed snapshot is a {@link SnapshotReadException}; nothing else is thrown for any byte array. Policy
 * parameters are returned as written, not validated (that needs the service's policy registry).
 */
public final class SnapshotReader {

    /** The newest format version this reader knows (it reads every version from {@link #OLDEST_VERSION} on). */
    public static final int FORMAT_VERSION = 4;
    /** The oldest format version read: 2 has no agreement guard, 3 no condition window. */
    public static final int OLDEST_VERSION = 2;
    /** Largest snapshot accepted, as the service's own reader. */
    public static final int MAX_BYTES = 512 * 1024 * 1024;
    static final byte[] MAGIC = {'A', 'D', 'S', 'S'};
    static final int FINGERPRINT_BYTES = 32;
    private static final int MAX_NAME_BYTES = 64;
    private static final int MAX_VALUE_BYTES = 256;
    private static final int MAX_PARAMETERS = 32;
    private static final int MAX_SEGMENTS = 16;
    private static final int FLAG_FROZEN = 1;
    private static final String BALANCED = "balanced";

    private SnapshotReader() {
    }

    /** Reads a snapshot of any model. */
    public static DomainSnapshot read(byte[] bytes) {
        return read(bytes, null);
    }

    /**
     * Reads a snapshot and checks that it belongs to the model with the given SHA-256 (hex, as the predictions'
     * {@code model.sha256}); null accepts any model.
     */
    public static DomainSnapshot read(byte[] bytes, String expectedSha256) {
        if (bytes.length > MAX_BYTES) {
            throw new SnapshotReadException(Reason.OVERSIZED, bytes.length + " bytes; at most " + MAX_BYTES + " allowed");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (i >= bytes.length) {
                throw new SnapshotReadException(Reason.TRUNCATED, "input of " + bytes.length + " bytes ends inside the magic");
            }
            if (bytes[i] != MAGIC[i]) {
                throw new SnapshotReadException(Reason.BAD_MAGIC, "input does not start with \"ADSS\"");
            }
        }
        int header = MAGIC.length + 2 + 1 + FINGERPRINT_BYTES;
        if (bytes.length < header + 4) {
            throw new SnapshotReadException(Reason.TRUNCATED, "input of " + bytes.length + " bytes is shorter than the "
                    + (header + 4) + "-byte header and checksum");
        }
        Input in = new Input(bytes, bytes.length - 4);
        in.skip(MAGIC.length);
        int version = in.u16("format version");
        if (version < OLDEST_VERSION || version > FORMAT_VERSION) {
            throw new SnapshotReadException(Reason.UNSUPPORTED_VERSION, "format version " + version
                    + "; this reader knows versions " + OLDEST_VERSION + " to " + FORMAT_VERSION);
        }
        int code = in.u8("statistics precision");
        if (code > 2) {
            throw new SnapshotReadException(Reason.MALFORMED, "unknown statistics precision " + code);
        }
        DomainSnapshot.Precision precision = DomainSnapshot.Precision.values()[code];
        byte[] fingerprint = new byte[FINGERPRINT_BYTES];
        in.bytes(fingerprint, "model fingerprint");
        String sha256 = HexFormat.of().formatHex(fingerprint);
        if (expectedSha256 != null && !sha256.equals(expectedSha256.toLowerCase(Locale.ROOT))) {
            throw new SnapshotReadException(Reason.FINGERPRINT_MISMATCH, "written for model " + sha256 + ", expected "
                    + expectedSha256);
        }
        DomainSnapshot snapshot = body(in, version, precision, sha256);
        if (in.remaining() != 0) {
            throw new SnapshotReadException(Reason.MALFORMED, in.remaining() + " unexpected bytes after the content");
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 4);
        int stored = ByteBuffer.wrap(bytes, bytes.length - 4, 4).getInt();
        if (stored != (int) crc.getValue()) {
            throw new SnapshotReadException(Reason.CHECKSUM_MISMATCH, String.format(
                    "stored CRC-32 %08x, content has %08x", stored, (int) crc.getValue()));
        }
        return snapshot;
    }

    private static DomainSnapshot body(Input in, int version, DomainSnapshot.Precision precision, String sha256) {
        String policy = in.string(MAX_NAME_BYTES, "policy name");
        int count = in.u16("parameter count");
        if (count > MAX_PARAMETERS) {
            throw new SnapshotReadException(Reason.OVERSIZED, count + " policy parameters; at most " + MAX_PARAMETERS);
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String key = in.string(MAX_NAME_BYTES, "parameter name");
            String value = in.string(MAX_VALUE_BYTES, "parameter value");
            if (parameters.put(key, value) != null) {
                throw new SnapshotReadException(Reason.MALFORMED, "parameter '" + key + "' appears twice");
            }
        }
        int flags = in.u8("flags");
        if ((flags & ~FLAG_FROZEN) != 0) {
            throw new SnapshotReadException(Reason.MALFORMED, "unknown flags " + Integer.toBinaryString(flags));
        }
        long stateVersion = in.count("state version");
        long frames = in.count("frame count");
        double effectiveCount = in.f64("effective count");
        long step = in.count("segment step");
        double sourceWeight = in.f64("source weight");
        if (effectiveCount < 0 || sourceWeight < 0 || sourceWeight > 1) {
            throw new SnapshotReadException(Reason.MALFORMED, "effective count " + effectiveCount
                    + " must be >= 0 and source weight " + sourceWeight + " in [0, 1]");
        }
        DomainSnapshot.Detector detector = new DomainSnapshot.Detector(in.count("detector frames"),
                in.f64("detector baseline"), in.f64("detector baseline square"), in.i32("detector window frames"),
                in.i32("detector alarm frames"), in.count("detector shifts"), in.count("detector spikes"));
        if (detector.baseline() < 0 || detector.baselineSquare() < 0 || detector.windowFrames() < 0
                || detector.alarmFrames() < 0 || detector.alarmFrames() > detector.windowFrames()) {
            throw new SnapshotReadException(Reason.MALFORMED, "invalid detector state " + detector);
        }
        int[] channels = channels(in, precision);
        double[][] mean = new double[channels.length][];
        double[][] var = new double[channels.length][];
        for (int l = 0; l < channels.length; l++) {
            mean[l] = in.stats(channels[l], false, "layer " + l + " mean", precision);
            var[l] = in.stats(channels[l], true, "layer " + l + " variance", precision);
        }
        double[] guardScale = new double[channels.length];
        Arrays.fill(guardScale, 1.0);
        if (version >= 3) {
            in.count("guard frames seen");
            for (int l = 0; l < channels.length; l++) {
                double noiseWeight = in.f64("layer " + l + " guard noise weight");
                double spread = in.f64("layer " + l + " guard dispersion");
                guardScale[l] = in.f64("layer " + l + " guard scale");
                if (noiseWeight < 0 || spread < 0 || guardScale[l] < 0 || guardScale[l] > 1) {
                    throw new SnapshotReadException(Reason.MALFORMED, "layer " + l + " has guard noise weight "
                            + noiseWeight + ", dispersion " + spread + ", scale " + guardScale[l]);
                }
            }
        }
        if (version >= 4) {
            conditionWindow(in, channels.length == 0 ? 0 : channels[0], precision);
        }
        long held = pooled(in, channels, "held frames", precision);
        long heldSpikes = pooled(in, channels, "held spikes", precision);
        int hasLibrary = in.u8("library flag");
        if (hasLibrary > 1 || (hasLibrary == 1) != policy.equals(BALANCED)) {
            throw new SnapshotReadException(Reason.MALFORMED, "library flag " + hasLibrary + " does not fit policy " + policy);
        }
        DomainSnapshot.Library library = null;
        float[][] fedMean = new float[channels.length][];
        float[][] fedVar = new float[channels.length][];
        if (hasLibrary == 1) {
            library = library(in, channels, precision, parameters);
            for (int l = 0; l < channels.length; l++) {
                fedMean[l] = in.f32s(channels[l], false, "layer " + l + " fed mean");
                fedVar[l] = in.f32s(channels[l], true, "layer " + l + " fed variance");
            }
        } else {
            for (int l = 0; l < channels.length; l++) {
                if (guardScale[l] < 1.0) { // float32, or float16 in a float16 snapshot
                    DomainSnapshot.Precision fed = precision == DomainSnapshot.Precision.FLOAT16
                            ? DomainSnapshot.Precision.FLOAT16 : DomainSnapshot.Precision.FLOAT32;
                    fedMean[l] = toFloats(in.stats(channels[l], false, "layer " + l + " guarded fed mean", fed));
                    fedVar[l] = toFloats(in.stats(channels[l], true, "layer " + l + " guarded fed variance", fed));
                } else {
                    fedMean[l] = toFloats(mean[l]);
                    fedVar[l] = toFloats(var[l]);
                }
            }
        }
        List<DomainSnapshot.Layer> layers = new ArrayList<>(channels.length);
        for (int l = 0; l < channels.length; l++) {
            layers.add(new DomainSnapshot.Layer(mean[l], var[l], fedMean[l], fedVar[l], guardScale[l]));
        }
        return new DomainSnapshot(version, precision, sha256, policy, parameters, (flags & FLAG_FROZEN) != 0,
                stateVersion, frames, effectiveCount, step, sourceWeight, detector, layers, held, heldSpikes, library);
    }

    /** The layer and channel counts, checked against the bytes left for the statistics they announce. */
    private static int[] channels(Input in, DomainSnapshot.Precision precision) {
        long layers = in.u32("layer count");
        if (layers == 0) {
            throw new SnapshotReadException(Reason.MALFORMED, "a snapshot needs at least one layer");
        }
        if (layers * 4 > in.remaining()) {
            throw new SnapshotReadException(Reason.TRUNCATED, layers + " layers announced; the input is too short for "
                    + "their channel counts");
        }
        int[] channels = new int[(int) layers];
        long needed = 0;
        for (int l = 0; l < layers; l++) {
            long c = in.u32("channel count");
            if (c == 0) {
                throw new SnapshotReadException(Reason.MALFORMED, "layer " + l + " has no channels");
            }
            needed += 2 * statsBytes(c, precision);
            if (needed > in.remaining()) {
                throw new SnapshotReadException(Reason.TRUNCATED, "the statistics of " + (l + 1) + " layers need "
                        + needed + " bytes; " + in.remaining() + " are left");
            }
            channels[l] = (int) c;
        }
        return channels;
    }

    private static long statsBytes(long channels, DomainSnapshot.Precision precision) {
        return switch (precision) {
            case FLOAT64 -> 8 * channels;
            case FLOAT32 -> 4 * channels;
            case FLOAT16 -> 8 + 2 * channels;
        };
    }

    /** A pooled block: its frame count, and its statistics (checked, not kept) when it has frames. */
    private static long pooled(Input in, int[] channels, String what, DomainSnapshot.Precision precision) {
        long n = in.count(what + " count");
        if (n > 0) {
            for (int l = 0; l < channels.length; l++) {
                in.stats(channels[l], false, what + " layer " + l + " mean", precision);
                in.stats(channels[l], true, what + " layer " + l + " variance", precision);
            }
        }
        return n;
    }

    private static DomainSnapshot.Library library(Input in, int[] channels, DomainSnapshot.Precision precision,
                                                  Map<String, String> parameters) {
        int capacity = in.u8("library capacity");
        int size = in.u8("library size");
        if (capacity > MAX_SEGMENTS || size > MAX_SEGMENTS) {
            throw new SnapshotReadException(Reason.OVERSIZED, "library of " + size + "/" + capacity + " segments; at most "
                    + MAX_SEGMENTS);
        }
        String declared = parameters.get("max-segments");
        if (capacity == 0 || size > capacity || (declared != null && !declared.equals(Integer.toString(capacity)))) {
            throw new SnapshotReadException(Reason.MALFORMED, "library of " + size + "/" + capacity
                    + " segments does not fit max-segments " + declared);
        }
        int nextTag = in.i32("next tag");
        int sinceMixture = in.i32("frames since mixture");
        if (nextTag < 0 || sinceMixture < 0) {
            throw new SnapshotReadException(Reason.MALFORMED, "negative library counter " + nextTag + "/" + sinceMixture);
        }
        double[] weights = new double[size + 1];
        for (int i = 0; i <= size; i++) {
            weights[i] = in.f64("mixture weight");
            if (weights[i] < 0) {
                throw new SnapshotReadException(Reason.MALFORMED, "mixture weight " + i + " is negative: " + weights[i]);
            }
        }
        long live = pooled(in, channels, "live segment", precision);
        List<DomainSnapshot.Segment> segments = new ArrayList<>(size);
        for (int k = 0; k < size; k++) {
            int tag = in.i32("segment tag");
            long closedAt = in.count("segment creation frame");
            if (tag < 0) {
                throw new SnapshotReadException(Reason.MALFORMED, "segment " + k + " has negative tag " + tag);
            }
            long n = pooled(in, channels, "segment " + k, precision);
            if (n == 0) {
                throw new SnapshotReadException(Reason.MALFORMED, "segment " + k + " is empty");
            }
            segments.add(new DomainSnapshot.Segment(tag, closedAt, n));
        }
        return new DomainSnapshot.Library(capacity, live, segments, weights);
    }

    private static float[] toFloats(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }

    /** IEEE-754 binary16 to float (exact: every half value is a float). */
    static float halfToFloat(short half) {
        int bits = half & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float subnormal = mantissa * 0x1p-24f;
            return sign == 0 ? subnormal : -subnormal;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    /** A bounds-checked big-endian reader; every failure is a {@link SnapshotReadException}. */
    private static final class Input {

        private final ByteBuffer buffer;

        Input(byte[] bytes, int limit) {
            buffer = ByteBuffer.wrap(bytes, 0, limit);
        }

        int remaining() {
            return buffer.remaining();
        }

        private void need(long bytes, String what) {
            if (buffer.remaining() < bytes) {
                throw new SnapshotReadException(Reason.TRUNCATED, "input ends at byte " + buffer.limit()
                        + " while reading " + what + " (" + bytes + " bytes needed at " + buffer.position() + ")");
            }
        }

        void skip(int n) {
            need(n, "header");
            buffer.position(buffer.position() + n);
        }

        int u8(String what) {
            need(1, what);
            return buffer.get() & 0xff;
        }

        int u16(String what) {
            need(2, what);
            return buffer.getShort() & 0xffff;
        }

        int i32(String what) {
            need(4, what);
            return buffer.getInt();
        }

        long u32(String what) {
            need(4, what);
            return buffer.getInt() & 0xffffffffL;
        }

        long count(String what) {
            need(8, what);
            long v = buffer.getLong();
            if (v < 0) {
                throw new SnapshotReadException(Reason.MALFORMED, what + " is negative: " + v);
            }
            return v;
        }

        double f64(String what) {
            need(8, what);
            return finite(buffer.getDouble(), what);
        }

        void bytes(byte[] out, String what) {
            need(out.length, what);
            buffer.get(out);
        }

        /** {@code n} per-channel values in the snapshot's precision (non-negative ones if {@code variance}). */
        double[] stats(int n, boolean variance, String what, DomainSnapshot.Precision precision) {
            need(statsBytes(n, precision), what);
            double[] out = new double[n];
            switch (precision) {
                case FLOAT64 -> {
                    for (int i = 0; i < n; i++) {
                        out[i] = checked(buffer.getDouble(), variance, what, i);
                    }
                }
                case FLOAT32 -> {
                    for (int i = 0; i < n; i++) {
                        out[i] = checked(buffer.getFloat(), variance, what, i);
                    }
                }
                case FLOAT16 -> {
                    // a power of two once rounded to float, as the service's reader takes it
                    float scale = (float) finite(buffer.getDouble(), what + " scale");
                    if (!(scale > 0) || Math.getExponent(scale) < -126 || Math.getExponent(scale) > 127
                            || scale != Math.scalb(1f, Math.getExponent(scale))) {
                        throw new SnapshotReadException(Reason.MALFORMED, what + " has an invalid scale " + scale);
                    }
                    for (int i = 0; i < n; i++) {
                        out[i] = checked(halfToFloat(buffer.getShort()), variance, what, i) * (double) scale;
                    }
                }
            }
            return out;
        }

        float[] f32s(int n, boolean variance, String what) {
            need(4L * n, what);
            float[] out = new float[n];
            for (int i = 0; i < n; i++) {
                out[i] = (float) checked(buffer.getFloat(), variance, what, i);
            }
            return out;
        }

        String string(int maxBytes, String what) {
            int length = u16(what + " length");
            if (length > maxBytes) {
                throw new SnapshotReadException(Reason.OVERSIZED, what + " is " + length + " bytes long; at most "
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
                throw new SnapshotReadException(Reason.MALFORMED, what + " is not valid UTF-8");
            }
        }

        private static double finite(double v, String what) {
            if (!Double.isFinite(v)) {
                throw new SnapshotReadException(Reason.NON_FINITE, what + " is " + v);
            }
            return v;
        }

        private static double checked(double v, boolean variance, String what, int i) {
            if (!Double.isFinite(v)) {
                throw new SnapshotReadException(Reason.NON_FINITE, what + "[" + i + "] is " + v);
            }
            if (variance && v < 0) {
                throw new SnapshotReadException(Reason.MALFORMED, what + "[" + i + "] is a negative variance " + v);
            }
            return v;
        }
    }

    /**
     * Checks the condition gate's window (format 4; its effect is already in each layer's guard scale): frames,
     * noise weight and gate in [0, 1], then the first layer's window mean and variance in the snapshot's precision.
     */
    private static void conditionWindow(Input in, int firstLayerChannels, DomainSnapshot.Precision precision) {
        in.count("condition window frames");
        double noise = in.f64("condition window noise weight");
        double gate = in.f64("condition gate");
        if (!(noise >= 0 && noise <= 1 && gate >= 0 && gate <= 1)) {
            throw new SnapshotReadException(Reason.MALFORMED, "condition window noise weight " + noise + ", gate " + gate);
        }
        in.stats(firstLayerChannels, false, "condition window mean", precision);
        in.stats(firstLayerChannels, true, "condition window variance", precision);
    }

}
