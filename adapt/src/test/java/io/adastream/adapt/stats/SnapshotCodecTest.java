package io.adastream.adapt.stats;

import io.adastream.adapt.stats.SnapshotFormatException.Reason;
import io.adastream.adapt.stats.policy.Policies;
import io.adastream.adapt.stats.shift.DetectorSettings;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class SnapshotCodecTest {

    private final Random random = new Random(11);
    private final SourceStatistics source = StatsFixtures.source(random, 4, 6, 3);
    private final DomainAdapter adapter = new DomainAdapter(source);

    /** A domain that saw a stationary stream, a step change (a confirmed shift) and, optionally, an open alarm. */
    private DomainState exercised(String policy, Map<String, String> params, boolean endInAlarm) {
        DomainState state = adapter.newDomain(Policies.create(policy, params));
        FrameMoments f = new FrameMoments(source);
        for (int t = 0; t < 150; t++) {
            StatsFixtures.domainFrame(random, source, f, 0.5, 1.0);
            adapter.onFrame(state, f);
        }
        for (int t = 0; t < 60; t++) {
            StatsFixtures.domainFrame(random, source, f, 4, 3.0);
            adapter.onFrame(state, f);
        }
        if (endInAlarm) {
            StatsFixtures.domainFrame(random, source, f, -6, 0.2);
            assertTrue(adapter.onFrame(state, f) != FrameOutcome.FOLDED, "alarm expected");
        }
        return state;
    }

    private void assertSameState(DomainState expected, DomainState actual) {
        assertArrayEquals(SnapshotCodec.write(expected), SnapshotCodec.write(actual));
        assertEquals(expected.policy().name(), actual.policy().name());
        assertEquals(expected.policy().parameters(), actual.policy().parameters());
        assertEquals(expected.version(), actual.version());
        assertEquals(expected.frameCount(), actual.frameCount());
        assertEquals(expected.effectiveCount(), actual.effectiveCount());
        assertEquals(expected.segmentStep(), actual.segmentStep());
        assertEquals(expected.sourceWeight(), actual.sourceWeight());
        assertEquals(expected.frozen(), actual.frozen());
        assertEquals(expected.heldFrames(), actual.heldFrames());
        assertEquals(expected.detector().shifts(), actual.detector().shifts());
        assertEquals(expected.detector().baseline(), actual.detector().baseline());
        for (int l = 0; l < source.layers(); l++) {
            for (int c = 0; c < source.channels(l); c++) {
                assertEquals(expected.mean(l, c), actual.mean(l, c));
                assertEquals(expected.var(l, c), actual.var(l, c));
            }
            assertArrayEquals(expected.fedMean(l), actual.fedMean(l));
            assertArrayEquals(expected.fedVar(l), actual.fedVar(l));
        }
    }

    @Test
    void everyPolicyRoundTripsAndBehavesTheSameAfterwards() throws Exception {
        List<DomainState> states = new ArrayList<>();
        for (String name : Policies.NAMES) {
            states.add(exercised(name, Map.of(), false));
            states.add(exercised(name, Map.of(), true));
        }
        states.add(exercised("balanced", Map.of("segment-length", "40", "concentration", "inf"), true));
        DomainState frozen = exercised("momentum-decay", Map.of("schedule", "exponential"), false);
        adapter.freeze(frozen);
        states.add(frozen);
        for (DomainState state : states) {
            DomainState copy = SnapshotCodec.read(SnapshotCodec.write(state), source);
            assertSameState(state, copy);
            FrameMoments f = new FrameMoments(source);
            for (int t = 0; t < 40; t++) {
                StatsFixtures.domainFrame(random, source, f, t < 20 ? 4 : -3, 1.0);
                FrameOutcome a = adapter.onFrame(state, f);
                FrameOutcome b = adapter.onFrame(copy, f);
                assertEquals(a, b);
            }
            assertSameState(state, copy);
        }
    }

    /** A scratch copy taken with copyFrom is the state (same snapshot bytes) and restores it after further frames. */
    @Test
    void copyFromMakesAnEqualStateThatRestoresTheOriginal() {
        for (String policy : Policies.NAMES) {
            Map<String, String> params = policy.equals("balanced") ? Map.of("segment-length", "40") : Map.of();
            DomainState state = exercised(policy, params, true);
            DomainState scratch = adapter.newDomain(Policies.create("prior-decay", Map.of()));
            scratch.copyFrom(state);
            assertSameState(state, scratch);
            byte[] before = SnapshotCodec.write(state);
            FrameMoments f = new FrameMoments(source);
            for (int t = 0; t < 30; t++) {
                StatsFixtures.domainFrame(random, source, f, 2, 1.5);
                adapter.onFrame(state, f);
            }
            assertTrue(!Arrays.equals(before, SnapshotCodec.write(state)), policy + ": the frames changed the state");
            state.copyFrom(scratch);
            assertArrayEquals(before, SnapshotCodec.write(state), policy + ": restored");
        }
    }

    @Test
    void balancedSnapshotKeepsItsSegments() throws Exception {
        DomainState state = exercised("balanced", Map.of("segment-length", "40"), false);
        assertTrue(state.segments().size() >= 3, "segments: " + state.segments().size());
        DomainState copy = SnapshotCodec.read(SnapshotCodec.write(state), source);
        assertEquals(state.segments().size(), copy.segments().size());
        for (int k = 0; k < state.segments().size(); k++) {
            assertEquals(state.segments().segment(k).count(), copy.segments().segment(k).count());
            assertEquals(state.segments().tag(k), copy.segments().tag(k));
            assertEquals(state.segments().weight(k), copy.segments().weight(k));
            assertArrayEquals(state.segments().segment(k).var(1), copy.segments().segment(k).var(1));
        }
    }

    @Test
    void guardedStateRoundTripsExactly() throws Exception {
        DomainState state = adapter.newDomain(Policies.create("prior-decay"));
        FrameMoments f = new FrameMoments(source);
        for (int t = 0; t < 40; t++) {
            StatsFixtures.domainFrame(random, source, f, 0.0, 1.0);
            adapter.onFrame(state, f);
        }
        boolean shrunk = false;
        for (int l = 0; l < source.layers(); l++) {
            shrunk |= state.guard().scale(l) < 1;
        }
        assertTrue(shrunk, "precondition: scattered frames around the source are shrunk somewhere");
        DomainState copy = SnapshotCodec.read(SnapshotCodec.write(state), source);
        assertSameState(state, copy);
        for (int l = 0; l < source.layers(); l++) {
            assertArrayEquals(state.fedMean(l), copy.fedMean(l));
            assertArrayEquals(state.fedVar(l), copy.fedVar(l));
            assertEquals(state.guard().scale(l), copy.guard().scale(l));
            assertEquals(state.guard().noiseWeight(l), copy.guard().noiseWeight(l));
            assertEquals(state.guard().spread(l), copy.guard().spread(l));
        }
        assertEquals(state.guard().framesSeen(), copy.guard().framesSeen());
        assertEquals(state.guard().gate(), copy.guard().gate());
        assertEquals(state.guard().windowFrames(), copy.guard().windowFrames());
        assertTrue(copy.guard().windowFrames() > 0, "the condition window was written");
    }

    /** Format 4 without its last {@code cut} bytes before the held frames, relabelled as {@code version}. */
    private byte[] olderFormat(DomainState state, int cut, int version) {
        byte[] v4 = SnapshotCodec.write(state);
        // with no held frames and no library, 8 + 8 + 1 bytes follow the guard and window blocks before the checksum
        int blockEnd = v4.length - 4 - 17;
        byte[] old = new byte[v4.length - cut];
        System.arraycopy(v4, 0, old, 0, blockEnd - cut);
        System.arraycopy(v4, blockEnd, old, blockEnd - cut, v4.length - blockEnd);
        old[5] = (byte) version;
        return resealed(old);
    }

    /** The condition window's bytes (float64): frames, noise weight, gate, then each first-layer channel's mean and variance. */
    private int windowBytes() {
        return 24 + 16 * source.channels(0);
    }

    @Test
    void formatThreeSnapshotsStillReadWithAnEmptyConditionWindow() throws Exception {
        DomainState state = exercised("ema", Map.of("guard", "0"), false);
        assertTrue(state.guard().windowFrames() > 0, "precondition: the window saw frames");
        DomainState old = SnapshotCodec.read(olderFormat(state, windowBytes(), 3), source);
        assertEquals(0, old.guard().windowFrames());
        assertEquals(1.0, old.guard().gate());
        for (int l = 0; l < source.layers(); l++) {
            assertArrayEquals(state.fedMean(l), old.fedMean(l));
            assertEquals(state.guard().scale(l), old.guard().scale(l));
        }
        assertEquals(state.version(), old.version());
    }

    @Test
    void formatTwoSnapshotsStillReadWithAFreshGuard() throws Exception {
        DomainState state = exercised("ema", Map.of("guard", "0"), false);
        // format 2 has neither the guard block (8 + 24 bytes per layer) nor the condition window
        DomainState old = SnapshotCodec.read(olderFormat(state, 8 + 24 * source.layers() + windowBytes(), 2), source);
        for (int l = 0; l < source.layers(); l++) {
            assertArrayEquals(state.fedMean(l), old.fedMean(l));
            assertEquals(1.0, old.guard().scale(l));
            assertEquals(0.0, old.guard().noiseWeight(l));
        }
        assertEquals(state.version(), old.version());
        assertEquals(state.frameCount(), old.frameCount());
    }

    private Reason refusal(byte[] bytes) {
        return refusal(bytes, source);
    }

    private static Reason refusal(byte[] bytes, SourceStatistics expected) {
        return assertThrows(SnapshotFormatException.class, () -> SnapshotCodec.read(bytes, expected)).reason();
    }

    /** Recomputes the CRC-32 trailer after an edit, so that the edit itself is what the reader sees. */
    static byte[] resealed(byte[] bytes) {
        if (bytes.length < 4) {
            return bytes;
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 4);
        ByteBuffer.wrap(bytes, bytes.length - 4, 4).putInt((int) crc.getValue());
        return bytes;
    }

    @Test
    void refusesBadInputWithTheRightReason() {
        byte[] good = SnapshotCodec.write(exercised("prior-decay", Map.of(), true));
        int params = 4 + 2 + 1 + 32; // magic, version, precision, fingerprint

        byte[] magic = good.clone();
        magic[0] = 'X';
        assertEquals(Reason.BAD_MAGIC, refusal(magic));
        assertEquals(Reason.TRUNCATED, refusal(new byte[]{'A', 'D'}));

        byte[] version = good.clone();
        version[5] = 5;
        assertEquals(Reason.UNSUPPORTED_VERSION, refusal(version));
        version[5] = 1;
        assertEquals(Reason.UNSUPPORTED_VERSION, refusal(version));

        byte[] precision = good.clone();
        precision[6] = 7;
        assertEquals(Reason.MALFORMED, refusal(resealed(precision)));

        SourceStatistics other = SourceStatistics.of(List.of(new float[4], new float[6], new float[3]),
                List.of(new float[]{1, 1, 1, 1}, new float[]{1, 1, 1, 1, 1, 1}, new float[]{1, 1, 1}),
                StatsFixtures.fingerprint(99));
        SnapshotFormatException e = assertThrows(SnapshotFormatException.class, () -> SnapshotCodec.read(good, other));
        assertEquals(Reason.FINGERPRINT_MISMATCH, e.reason());
        assertTrue(e.getMessage().startsWith("snapshot refused (FINGERPRINT_MISMATCH): written for model "));
        assertTrue(!e.getMessage().contains("\n"));

        for (int cut : new int[]{good.length - 5, good.length / 2, 50, 40}) {
            assertEquals(Reason.TRUNCATED, refusal(resealed(Arrays.copyOf(good, cut))), "cut at " + cut);
        }

        byte[] longName = good.clone();
        ByteBuffer.wrap(longName, params, 2).putShort((short) 0xffff);
        assertEquals(Reason.OVERSIZED, refusal(longName));

        byte[] badPolicy = good.clone();
        badPolicy[params + 2] = 'q'; // "prior-decay" → "qrior-decay"
        assertEquals(Reason.BAD_POLICY, refusal(resealed(badPolicy)));

        byte[] flipped = good.clone();
        flipped[good.length - 20] ^= 1;
        assertEquals(Reason.CHECKSUM_MISMATCH, refusal(flipped));

        byte[] trailing = resealed(Arrays.copyOf(good, good.length + 3));
        System.arraycopy(good, good.length - 4, trailing, good.length - 4, 4);
        assertEquals(Reason.MALFORMED, refusal(resealed(trailing)));

        DomainState state = exercised("ema", Map.of(), false);
        state.mean[1][2] = Double.NaN;
        assertEquals(Reason.NON_FINITE, refusal(SnapshotCodec.write(state)));
        state.mean[1][2] = 0;
        state.var[2][0] = Double.POSITIVE_INFINITY;
        assertEquals(Reason.NON_FINITE, refusal(SnapshotCodec.write(state)));

        SourceStatistics reshaped = SourceStatistics.of(List.of(new float[4], new float[5], new float[3]),
                List.of(new float[]{1, 1, 1, 1}, new float[]{1, 1, 1, 1, 1}, new float[]{1, 1, 1}),
                source.fingerprint());
        assertEquals(Reason.SHAPE_MISMATCH, refusal(good, reshaped));
    }

    @Test
    void oversizedInputIsRefusedBeforeParsing() {
        // a huge claimed layer count or string length must not allocate: the reader compares with the model first
        byte[] good = SnapshotCodec.write(exercised("adabn", Map.of(), false));
        assertTrue(SnapshotCodec.MAX_BYTES < Integer.MAX_VALUE);
        byte[] params = good.clone();
        int at = 4 + 2 + 1 + 32 + 2 + "adabn".length();
        ByteBuffer.wrap(params, at, 2).putShort((short) 60000);
        assertEquals(Reason.OVERSIZED, refusal(resealed(params)));
    }

    @Test
    void fuzzedInputOnlyEverRaisesSnapshotFormatException() {
        Random fuzz = new Random(20240601);
        List<byte[]> seeds = new ArrayList<>();
        for (String name : Policies.NAMES) {
            seeds.add(SnapshotCodec.write(exercised(name, Map.of(), fuzz.nextBoolean())));
        }
        seeds.add(SnapshotCodec.write(exercised("balanced", Map.of("segment-length", "30"), true)));
        int refused = 0;
        int accepted = 0;
        for (int i = 0; i < 12_000; i++) {
            byte[] input = mutate(fuzz, seeds.get(fuzz.nextInt(seeds.size())), i);
            try {
                DomainState state = SnapshotCodec.read(input, source);
                // whatever is accepted must be usable and re-encodable
                SnapshotCodec.read(SnapshotCodec.write(state), source);
                accepted++;
            } catch (SnapshotFormatException e) {
                refused++;
                assertTrue(e.getMessage() != null && !e.getMessage().contains("\n"));
            } catch (Throwable t) {
                fail("input #" + i + " (" + input.length + " bytes) raised " + t, t);
            }
        }
        assertEquals(12_000, refused + accepted);
        assertTrue(refused > 10_000, "refused " + refused);
    }

    /** Random bytes, truncations, extensions, bit flips, random field overwrites; half of the edits re-sealed. */
    private static byte[] mutate(Random fuzz, byte[] seed, int i) {
        switch (i % 6) {
            case 0 -> {
                byte[] noise = new byte[fuzz.nextInt(200)];
                fuzz.nextBytes(noise);
                if (noise.length > 6 && fuzz.nextBoolean()) {
                    System.arraycopy(SnapshotCodec.MAGIC, 0, noise, 0, 4);
                    noise[4] = 0;
                    noise[5] = 1;
                }
                return noise;
            }
            case 1 -> {
                return maybeReseal(fuzz, Arrays.copyOf(seed, fuzz.nextInt(seed.length + 1)));
            }
            case 2 -> {
                byte[] longer = Arrays.copyOf(seed, seed.length + 1 + fuzz.nextInt(64));
                return maybeReseal(fuzz, longer);
            }
            case 3 -> {
                byte[] b = seed.clone();
                int flips = 1 + fuzz.nextInt(4);
                for (int k = 0; k < flips; k++) {
                    int at = fuzz.nextInt(b.length);
                    b[at] ^= (byte) (1 << fuzz.nextInt(8));
                }
                return maybeReseal(fuzz, b);
            }
            case 4 -> {
                // overwrite an aligned 1–8 byte field with extreme values (lengths, counts, NaN, huge)
                byte[] b = seed.clone();
                int at = 38 + fuzz.nextInt(Math.max(1, Math.min(b.length - 46, 400)));
                long[] extremes = {-1L, 0L, Long.MAX_VALUE, Long.MIN_VALUE, 0x7fffffffL, 0xffffffffL,
                        Double.doubleToLongBits(Double.NaN), Double.doubleToLongBits(-1.0), 1L << 40};
                long v = extremes[fuzz.nextInt(extremes.length)];
                int width = new int[]{1, 2, 4, 8}[fuzz.nextInt(4)];
                for (int k = 0; k < width && at + k < b.length; k++) {
                    b[at + k] = (byte) (v >>> (8 * (width - 1 - k)));
                }
                return maybeReseal(fuzz, b);
            }
            default -> {
                byte[] b = seed.clone();
                int at = fuzz.nextInt(b.length);
                int len = Math.min(b.length - at, 1 + fuzz.nextInt(16));
                byte[] chunk = new byte[len];
                fuzz.nextBytes(chunk);
                System.arraycopy(chunk, 0, b, at, len);
                return maybeReseal(fuzz, b);
            }
        }
    }

    private static byte[] maybeReseal(Random fuzz, byte[] b) {
        return fuzz.nextBoolean() ? resealed(b) : b;
    }
}
