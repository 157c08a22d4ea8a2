package io.adastream.adapt.stats;

import io.adastream.adapt.stats.SnapshotFormatException.Reason;
import io.adastream.adapt.stats.policy.AdaptationPolicy;
import io.adastream.adapt.stats.policy.Policies;
import io.adastream.adapt.stats.policy.SegmentSettings;
import io.adastream.adapt.stats.shift.DetectorState;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * The versioned binary snapshot of a {@link DomainState} (format described in {@code adapt/SNAPSHOT-FORMAT.md}):
 * magic, format version, model fingerprint, policy name and parameters, schedule, detector, per-layer statistics in
 * float64, the agreement guard, held alarm frames, the {@code balanced} segment library, and a CRC-32 trailer. The reader checks every
 * length against the expected model before it allocates anything and refuses bad input with a
 * {@link SnapshotFormatException}; it never throws anything else for any byte array.
 */
public final class SnapshotCodec {

    /** "ADSS": AdaStream domain statistics snapshot. */
    public static final byte[] MAGIC = {'A', 'D', 'S', 'S'};
    /** The format version this codec writes; it also reads every version from {@link #OLDEST_VERSION} on. */
    public static final int FORMAT_VERSION = 4;
    /**
     * The oldest version still read: 2 has no agreement guard (it starts fresh: λ = 1), 3 no condition window (it
     * starts empty: the gate closes until the domain's next frames fill it).
     */
    public static final int OLDEST_VERSION = 2;
    /** Largest snapshot the reader accepts. */
    public static final int MAX_BYTES = 512 * 1024 * 1024;
    static final int MAX_NAME_BYTES = 64;
    static final int MAX_VALUE_BYTES = 256;
    static final int MAX_PARAMETERS = 32;
    static final int MAX_SEGMENTS = 16;
    private static final int FLAG_FROZEN = 1;

    private SnapshotCodec() {
    }

    /** Serializes a domain's state with exact (float64) statistics. */
    public static byte[] write(DomainState state) {
        return write(state, StatisticsPrecision.FLOAT64);
    }

    /** Serializes a domain's state with its per-channel statistics in the given precision. */
    public static byte[] write(DomainState state, StatisticsPrecision precision) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(estimateSize(state, precision));
        DataOutputStream out = new DataOutputStream(bytes);
        try {
            out.write(MAGIC);
            out.writeShort(FORMAT_VERSION);
            out.writeByte(precision.code());
            out.write(state.source.fingerprint());
            writeString(out, state.policy.name());
            Map<String, String> params = state.policy.parameters();
            out.writeShort(params.size());
            for (Map.Entry<String, String> e : params.entrySet()) {
                writeString(out, e.getKey());
                writeString(out, e.getValue());
            }
            out.writeByte(state.frozen ? FLAG_FROZEN : 0);
            out.writeLong(state.version);
            out.writeLong(state.frameCount);
            out.writeDouble(state.schedule.effectiveCount());
            out.writeLong(state.schedule.step());
            out.writeDouble(state.schedule.sourceWeight());
            DetectorState d = state.detector;
            out.writeLong(d.frames());
            out.writeDouble(d.baseline());
            out.writeDouble(d.baselineSquare());
            out.writeInt(d.windowFrames());
            out.writeInt(d.alarmFrames());
            out.writeLong(d.shifts());
            out.writeLong(d.spikesSkipped());
            int layers = state.layers();
            out.writeInt(layers);
            for (int l = 0; l < layers; l++) {
                out.writeInt(state.channels(l));
            }
            for (int l = 0; l < layers; l++) {
                writeStats(out, state.mean[l], precision);
                writeStats(out, state.var[l], precision);
            }
            GuardState guard = state.guard;
            out.writeLong(guard.framesSeen);
            for (int l = 0; l < layers; l++) {
                out.writeDouble(guard.noiseWeight[l]);
                out.writeDouble(guard.spread[l]);
                out.writeDouble(guard.scale[l]);
            }
            out.writeLong(guard.windowFrames);
            out.writeDouble(guard.windowNoise);
            out.writeDouble(guard.gate);
            writeStats(out, guard.windowMean, precision);
            writeStats(out, guard.windowVar, precision);
            writePooled(out, state.held, precision);
            writePooled(out, state.heldSpikes, precision);
            SegmentLibrary library = state.library;
            out.writeByte(library == null ? 0 : 1);
            if (library != null) {
                out.writeByte(library.capacity());
                out.writeByte(library.size());
                out.writeInt(library.nextTag());
                out.writeInt(library.framesSinceMixture());
                out.writeDouble(library.liveWeight());
                for (int k = 0; k < library.size(); k++) {
                    out.writeDouble(library.weight(k));
                }
                writePooled(out, library.live(), precision);
                for (int k = 0; k < library.size(); k++) {
                    out.writeInt(library.tag(k));
                    out.writeLong(library.createdAt(k));
                    writePooled(out, library.segment(k), precision);
                }
                for (int l = 0; l < layers; l++) {
                    writeFloats(out, state.fedMean[l]);
                    writeFloats(out, state.fedVar[l]);
                }
            } else {
                StatisticsPrecision fedPrecision = guardedFedPrecision(precision);
                for (int l = 0; l < layers; l++) {
                    if (guard.scale[l] < 1.0) { // the shrunk fed statistics of the guarded layers
                        writeStats(out, toDoubles(state.fedMean[l]), fedPrecision);
                        writeStats(out, toDoubles(state.fedVar[l]), fedPrecision);
                    }
                }
            }
            out.flush();
            CRC32 crc = new CRC32();
            byte[] body = bytes.toByteArray();
            crc.update(body);
            out.writeInt((int) crc.getValue());
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen in memory
        }
        return bytes.toByteArray();
    }

    /**
     * Reads a snapshot written for the model of {@code expected}.
     *
     * @throws SnapshotFormatException for wrong magic, unknown version, another model, truncated or oversized input,
     *                                 non-finite values, layer shapes that differ from the model, bad policy, bad
     *                                 checksum, or any other malformed field
     */
    public static DomainState read(byte[] bytes, SourceStatistics expected) throws SnapshotFormatException {
        if (bytes.length > MAX_BYTES) {
            throw new SnapshotFormatException(Reason.OVERSIZED, bytes.length + " bytes; at most " + MAX_BYTES + " allowed");
        }
        int header = MAGIC.length + 2 + 1 + SourceStatistics.FINGERPRINT_BYTES;
        for (int i = 0; i < MAGIC.length; i++) {
            if (i >= bytes.length) {
                throw new SnapshotFormatException(Reason.TRUNCATED, "input of " + bytes.length + " bytes ends inside the magic");
            }
            if (bytes[i] != MAGIC[i]) {
                throw new SnapshotFormatException(Reason.BAD_MAGIC, "input does not start with \"ADSS\"");
            }
        }
        if (bytes.length < header + 4) {
            throw new SnapshotFormatException(Reason.TRUNCATED, "input of " + bytes.length + " bytes is shorter than the "
                    + (header + 4) + "-byte header and checksum");
        }
        SnapshotInput in = new SnapshotInput(bytes, bytes.length - 4);
        in.bytes(new byte[MAGIC.length], "magic");
        int version = in.u16("format version");
        if (version < OLDEST_VERSION || version > FORMAT_VERSION) {
            throw new SnapshotFormatException(Reason.UNSUPPORTED_VERSION, "format version " + version
                    + "; this reader knows versions " + OLDEST_VERSION + " to " + FORMAT_VERSION);
        }
        int precisionCode = in.u8("statistics precision");
        StatisticsPrecision precision = StatisticsPrecision.ofCode(precisionCode);
        if (precision == null) {
            throw new SnapshotFormatException(Reason.MALFORMED, "unknown statistics precision " + precisionCode);
        }
        byte[] fingerprint = new byte[SourceStatistics.FINGERPRINT_BYTES];
        in.bytes(fingerprint, "model fingerprint");
        if (!expected.hasFingerprint(fingerprint)) {
            throw new SnapshotFormatException(Reason.FINGERPRINT_MISMATCH, "written for model "
                    + HexFormat.of().formatHex(fingerprint) + ", expected " + HexFormat.of().formatHex(expected.fingerprint()));
        }
        DomainState state = readBody(in, expected, precision, version);
        if (in.remaining() != 0) {
            throw new SnapshotFormatException(Reason.MALFORMED, in.remaining() + " unexpected bytes after the content");
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 4);
        int stored = ByteBuffer.wrap(bytes, bytes.length - 4, 4).getInt();
        if (stored != (int) crc.getValue()) {
            throw new SnapshotFormatException(Reason.CHECKSUM_MISMATCH, String.format(
                    "stored CRC-32 %08x, content has %08x", stored, (int) crc.getValue()));
        }
        return state;
    }

    private static DomainState readBody(SnapshotInput in, SourceStatistics expected, StatisticsPrecision precision,
                                        int version) throws SnapshotFormatException {
        String name = in.string(MAX_NAME_BYTES, "policy name");
        int count = in.u16("parameter count");
        if (count > MAX_PARAMETERS) {
            throw new SnapshotFormatException(Reason.OVERSIZED, count + " policy parameters; at most " + MAX_PARAMETERS);
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String key = in.string(MAX_NAME_BYTES, "parameter name");
            String value = in.string(MAX_VALUE_BYTES, "parameter value");
            if (params.put(key, value) != null) {
                throw new SnapshotFormatException(Reason.BAD_POLICY, "parameter '" + key + "' appears twice");
            }
        }
        AdaptationPolicy policy;
        try {
            policy = Policies.create(name, params);
        } catch (IllegalArgumentException e) {
            throw new SnapshotFormatException(Reason.BAD_POLICY, e.getMessage());
        }
        int flags = in.u8("flags");
        if ((flags & ~FLAG_FROZEN) != 0) {
            throw new SnapshotFormatException(Reason.MALFORMED, "unknown flags " + Integer.toBinaryString(flags));
        }
        long stateVersion = in.count("state version");
        long frameCount = in.count("frame count");
        double a = in.f64("effective count");
        long step = in.count("segment step");
        double omega = in.f64("source weight");
        long detFrames = in.count("detector frames");
        double baseline = in.f64("detector baseline");
        double baselineSquare = in.f64("detector baseline square");
        int windowFrames = in.i32("detector window frames");
        int alarmFrames = in.i32("detector alarm frames");
        long shifts = in.count("detector shifts");
        long spikes = in.count("detector spikes");

        long layers = in.u32("layer count");
        if (layers != expected.layers()) {
            throw new SnapshotFormatException(Reason.SHAPE_MISMATCH, layers + " layers; the model has " + expected.layers());
        }
        for (int l = 0; l < layers; l++) {
            long channels = in.u32("channel count");
            if (channels != expected.channels(l)) {
                throw new SnapshotFormatException(Reason.SHAPE_MISMATCH, "layer " + l + " has " + channels
                        + " channels; the model's has " + expected.channels(l));
            }
        }
        DomainState state = new DomainState(expected, policy);
        state.frozen = (flags & FLAG_FROZEN) != 0;
        state.version = stateVersion;
        state.frameCount = frameCount;
        try {
            state.schedule.set(a, step, omega);
            state.detector.restore(detFrames, baseline, baselineSquare, windowFrames, alarmFrames, shifts, spikes);
        } catch (IllegalArgumentException e) {
            throw new SnapshotFormatException(Reason.MALFORMED, e.getMessage());
        }
        for (int l = 0; l < layers; l++) {
            in.stats(state.mean[l], false, "layer " + l + " mean", precision);
            in.stats(state.var[l], true, "layer " + l + " variance", precision);
        }
        if (version >= 3) {
            readGuard(in, state.guard);
        }
        if (version >= 4) {
            readWindow(in, state.guard, precision);
        }
        readPooled(in, state.held, "held frames", precision);
        readPooled(in, state.heldSpikes, "held spikes", precision);
        int hasLibrary = in.u8("library flag");
        SegmentSettings settings = policy.segments();
        if (hasLibrary > 1 || (hasLibrary == 1) != (settings != null)) {
            throw new SnapshotFormatException(Reason.MALFORMED, "library flag " + hasLibrary + " does not fit policy " + name);
        }
        if (hasLibrary == 1) {
            readLibrary(in, state, settings, precision);
        } else {
            state.feedEstimate();
            StatisticsPrecision fedPrecision = guardedFedPrecision(precision);
            for (int l = 0; l < layers; l++) {
                if (state.guard.scale[l] < 1.0) {
                    readFloats(in, state.fedMean[l], false, "layer " + l + " guarded fed mean", fedPrecision);
                    readFloats(in, state.fedVar[l], true, "layer " + l + " guarded fed variance", fedPrecision);
                }
            }
        }
        return state;
    }

    /**
     * The precision of the guarded fed statistics: float32 (what the graph is fed, so exact) unless the snapshot is
     * float16, whose size it keeps.
     */
    static StatisticsPrecision guardedFedPrecision(StatisticsPrecision precision) {
        return precision == StatisticsPrecision.FLOAT16 ? StatisticsPrecision.FLOAT16 : StatisticsPrecision.FLOAT32;
    }

    private static void readFloats(SnapshotInput in, float[] out, boolean variance, String what,
                                   StatisticsPrecision precision) throws SnapshotFormatException {
        double[] values = new double[out.length];
        in.stats(values, variance, what, precision);
        for (int c = 0; c < out.length; c++) {
            out[c] = (float) values[c];
        }
    }

    private static double[] toDoubles(float[] values) {
        double[] d = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            d[i] = values[i];
        }
        return d;
    }

    /** The agreement guard's block: frames seen, then per layer E ≥ 0, D ≥ 0 and λ in [0, 1]. */
    private static void readGuard(SnapshotInput in, GuardState guard) throws SnapshotFormatException {
        guard.framesSeen = in.count("guard frames seen");
        for (int l = 0; l < guard.scale.length; l++) {
            guard.noiseWeight[l] = in.f64("layer " + l + " guard noise weight");
            guard.spread[l] = in.f64("layer " + l + " guard dispersion");
            guard.scale[l] = in.f64("layer " + l + " guard scale");
            if (guard.noiseWeight[l] < 0 || guard.spread[l] < 0 || guard.scale[l] < 0 || guard.scale[l] > 1) {
                throw new SnapshotFormatException(Reason.MALFORMED, "layer " + l + " has guard noise weight "
                        + guard.noiseWeight[l] + ", dispersion " + guard.spread[l] + ", scale " + guard.scale[l]);
            }
        }
    }

    /**
     * The condition gate's window: frames ≥ 0, noise weight and gate in [0, 1], then the first layer's window mean
     * and variance ≥ 0 in the snapshot's precision.
     */
    private static void readWindow(SnapshotInput in, GuardState guard, StatisticsPrecision precision)
            throws SnapshotFormatException {
        guard.windowFrames = in.count("condition window frames");
        guard.windowNoise = in.f64("condition window noise weight");
        guard.gate = in.f64("condition gate");
        if (!(guard.windowNoise >= 0 && guard.windowNoise <= 1 && guard.gate >= 0 && guard.gate <= 1)) {
            throw new SnapshotFormatException(Reason.MALFORMED, "condition window noise weight " + guard.windowNoise
                    + ", gate " + guard.gate);
        }
        in.stats(guard.windowMean, false, "condition window mean", precision);
        in.stats(guard.windowVar, true, "condition window variance", precision);
    }

    private static void readLibrary(SnapshotInput in, DomainState state, SegmentSettings settings, StatisticsPrecision precision)
            throws SnapshotFormatException {
        int capacity = in.u8("library capacity");
        int size = in.u8("library size");
        if (capacity > MAX_SEGMENTS || size > MAX_SEGMENTS) {
            throw new SnapshotFormatException(Reason.OVERSIZED, "library of " + size + "/" + capacity
                    + " segments; at most " + MAX_SEGMENTS);
        }
        if (capacity != settings.maxSegments() || size > capacity) {
            throw new SnapshotFormatException(Reason.MALFORMED, "library of " + size + "/" + capacity
                    + " segments; the policy keeps " + settings.maxSegments());
        }
        int nextTag = in.i32("next tag");
        int sinceMixture = in.i32("frames since mixture");
        if (nextTag < 0 || sinceMixture < 0) {
            throw new SnapshotFormatException(Reason.MALFORMED, "negative library counter " + nextTag + "/" + sinceMixture);
        }
        double[] weights = new double[size + 1];
        in.f64s(weights, true, "mixture weights");
        SegmentLibrary library = state.library;
        readPooled(in, library.live(), "live segment", precision);
        for (int k = 0; k < size; k++) {
            int tag = in.i32("segment tag");
            long createdAt = in.count("segment creation frame");
            if (tag < 0) {
                throw new SnapshotFormatException(Reason.MALFORMED, "segment " + k + " has negative tag " + tag);
            }
            library.restoreSegment(k, tag, createdAt);
            readPooled(in, library.slot(k), "segment " + k, precision);
            if (library.slot(k).isEmpty()) {
                throw new SnapshotFormatException(Reason.MALFORMED, "segment " + k + " is empty");
            }
        }
        library.restore(size, nextTag, sinceMixture, weights);
        for (int l = 0; l < state.layers(); l++) {
            in.f32s(state.fedMean[l], false, "layer " + l + " fed mean");
            in.f32s(state.fedVar[l], true, "layer " + l + " fed variance");
        }
    }

    private static void writePooled(DataOutputStream out, PooledMoments pooled, StatisticsPrecision precision) throws IOException {
        out.writeLong(pooled.count());
        if (pooled.count() > 0) {
            for (int l = 0; l < pooled.layers(); l++) {
                writeStats(out, pooled.mean(l), precision);
                writeStats(out, pooled.var(l), precision);
            }
        }
    }

    private static void readPooled(SnapshotInput in, PooledMoments pooled, String what, StatisticsPrecision precision)
            throws SnapshotFormatException {
        long count = in.count(what + " count");
        if (count > 0) {
            for (int l = 0; l < pooled.layers(); l++) {
                in.stats(pooled.mean(l), false, what + " layer " + l + " mean", precision);
                in.stats(pooled.var(l), true, what + " layer " + l + " variance", precision);
            }
        }
        pooled.setCount(count);
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        out.writeShort(utf8.length);
        out.write(utf8);
    }

    /**
     * Per-channel statistics in a precision. float16 arrays start with a power-of-two scale (float64) chosen so that
     * the largest magnitude maps near 2^14, far below the float16 maximum of 65504.
     */
    private static void writeStats(DataOutputStream out, double[] values, StatisticsPrecision precision) throws IOException {
        switch (precision) {
            case FLOAT64 -> writeDoubles(out, values);
            case FLOAT32 -> {
                for (double v : values) {
                    out.writeFloat((float) v);
                }
            }
            case FLOAT16 -> {
                double max = 0;
                for (double v : values) {
                    max = Math.max(max, Math.abs(v));
                }
                float scale = max == 0 ? 1f : Math.scalb(1f, Math.max(-126, Math.min(127, Math.getExponent(max) - 14)));
                out.writeDouble(scale);
                for (double v : values) {
                    out.writeShort(HalfFloat.fromFloat((float) (v / scale)));
                }
            }
        }
    }

    private static void writeDoubles(DataOutputStream out, double[] values) throws IOException {
        for (double v : values) {
            out.writeDouble(v);
        }
    }

    private static void writeFloats(DataOutputStream out, float[] values) throws IOException {
        for (float v : values) {
            out.writeFloat(v);
        }
    }

    private static int estimateSize(DomainState state, StatisticsPrecision precision) {
        long channels = 0;
        for (int l = 0; l < state.layers(); l++) {
            channels += state.channels(l);
        }
        long window = state.layers() == 0 ? 0 : 2L * precision.bytesPerValue() * state.channels(0);
        return (int) Math.min(Integer.MAX_VALUE - 16, 512 + 2L * precision.bytesPerValue() * channels + 48L * state.layers()
                + window);
    }
}
