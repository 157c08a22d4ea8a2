package io.adastream.client.snapshot;

import io.adastream.adapt.stats.DomainAdapter;
import io.adastream.adapt.stats.DomainState;
import io.adastream.adapt.stats.FrameMoments;
import io.adastream.adapt.stats.FrameOutcome;
import io.adastream.adapt.stats.SnapshotCodec;
import io.adastream.adapt.stats.SnapshotFormatException;
import io.adastream.adapt.stats.SourceStatistics;
import io.adastream.adapt.stats.StatisticsPrecision;
import io.adastream.adapt.stats.StatsFixtures;
import io.adastream.adapt.stats.policy.Policies;
import io.adastream.client.snapshot.SnapshotReadException.Reason;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The standalone reader against snapshots written by the service's own codec ({@link SnapshotCodec}) for every
 * policy and precision: every field must equal what the state says and what the service's reader decodes.
 */
class SnapshotReaderTest {

    private final Random random = new Random(42);
    private final SourceStatistics source = StatsFixtures.source(new Random(3), 8, 16, 5);
    private final DomainAdapter adapter = new DomainAdapter(source);

    /** A domain that went through a stable stream, a confirmed shift and, if asked, an open alarm at the end. */
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

    private List<DomainState> states() {
        List<DomainState> states = new ArrayList<>();
        for (String name : Policies.NAMES) {
            states.add(exercised(name, Map.of(), false));
            states.add(exercised(name, Map.of(), true));
        }
        states.add(exercised("balanced", Map.of("segment-length", "40", "concentration", "inf"), true));
        DomainState frozen = exercised("momentum-decay", Map.of("schedule", "exponential"), false);
        adapter.freeze(frozen);
        states.add(frozen);
        return states;
    }

    @Test
    void readsEveryPolicysSnapshotInEveryPrecisionAsTheServiceDoes() throws Exception {
        int libraries = 0;
        boolean guarded = false;
        for (DomainState state : states()) {
            for (StatisticsPrecision precision : StatisticsPrecision.values()) {
                byte[] bytes = SnapshotCodec.write(state, precision);
                DomainState service = SnapshotCodec.read(bytes, source);
                DomainSnapshot client = SnapshotReader.read(bytes, HexFormat.of().formatHex(source.fingerprint()));
                String what = state.policy() + " " + precision;
                assertEquals(SnapshotReader.FORMAT_VERSION, client.formatVersion());
                assertEquals(precision.name(), client.precision().name(), what);
                assertEquals(HexFormat.of().formatHex(state.fingerprint()), client.modelSha256());
                assertEquals(state.policy().name(), client.policy(), what);
                assertEquals(state.policy().parameters(), client.parameters(), what);
                assertEquals(state.frozen(), client.frozen(), what);
                assertEquals(state.version(), client.stateVersion(), what);
                assertEquals(state.frameCount(), client.frames(), what);
                assertEquals(state.effectiveCount(), client.effectiveCount(), what);
                assertEquals(state.segmentStep(), client.segmentStep(), what);
                assertEquals(state.sourceWeight(), client.sourceWeight(), what);
                assertEquals(state.heldFrames(), client.heldFrames() + client.heldSpikes(), what);
                assertEquals(state.detector().frames(), client.detector().frames(), what);
                assertEquals(state.detector().baseline(), client.detector().baseline(), what);
                assertEquals(state.detector().baselineSquare(), client.detector().baselineSquare(), what);
                assertEquals(state.detector().windowFrames(), client.detector().windowFrames(), what);
                assertEquals(state.detector().alarmFrames(), client.detector().alarmFrames(), what);
                assertEquals(state.detector().shifts(), client.detector().shifts(), what);
                assertEquals(state.detector().spikesSkipped(), client.detector().spikesSkipped(), what);
                assertEquals(source.layers(), client.layers().size());
                long total = 0;
                for (int l = 0; l < source.layers(); l++) {
                    DomainSnapshot.Layer layer = client.layers().get(l);
                    assertEquals(source.channels(l), layer.channels());
                    total += source.channels(l);
                    for (int c = 0; c < layer.channels(); c++) {
                        // the service's reader decodes the same values; float64 is the state itself
                        assertEquals(service.mean(l, c), layer.mean()[c], what);
                        assertEquals(service.var(l, c), layer.variance()[c], what);
                        if (precision == StatisticsPrecision.FLOAT64) {
                            assertEquals(state.mean(l, c), layer.mean()[c], what);
                            assertEquals(state.var(l, c), layer.variance()[c], what);
                        }
                    }
                    assertArrayEquals(service.fedMean(l), layer.fedMean(), what);
                    assertArrayEquals(service.fedVar(l), layer.fedVariance(), what);
                    assertEquals(state.guard().scale(l), layer.guardScale(), what);
                    guarded |= layer.guardScale() < 1;
                }
                assertEquals(total, client.totalChannels());
                if (state.segments() == null) {
                    assertNull(client.library(), what);
                } else {
                    libraries++;
                    DomainSnapshot.Library library = client.library();
                    assertNotNull(library, what);
                    assertEquals(state.segments().capacity(), library.capacity());
                    assertEquals(state.segments().live().count(), library.liveFrames());
                    assertEquals(state.segments().size(), library.segments().size());
                    assertEquals(state.segments().liveWeight(), library.weights()[0]);
                    for (int k = 0; k < state.segments().size(); k++) {
                        assertEquals(new DomainSnapshot.Segment(state.segments().tag(k), state.segments().createdAt(k),
                                state.segments().segment(k).count()), library.segments().get(k));
                        assertEquals(state.segments().weight(k), library.weights()[1 + k]);
                    }
                }
            }
        }
        assertEquals(3 * 3, libraries, "three balanced states, three precisions");
        assertTrue(guarded, "some layer of some state is shrunk by the agreement guard, so its fed arrays are read");
    }

    @Test
    void theBalancedPolicyFeedsItsStoredMixtureNotTheEstimate() throws Exception {
        DomainState state = exercised("balanced", Map.of("segment-length", "40"), false);
        assertTrue(state.segments().size() >= 2, "segments: " + state.segments().size());
        DomainSnapshot client = SnapshotReader.read(SnapshotCodec.write(state));
        float[] estimateAsFloat = new float[source.channels(0)];
        for (int c = 0; c < estimateAsFloat.length; c++) {
            estimateAsFloat[c] = (float) state.mean(0, c);
        }
        assertArrayEquals(state.fedMean(0), client.layers().get(0).fedMean());
        assertTrue(!Arrays.equals(estimateAsFloat, client.layers().get(0).fedMean()),
                "a mixture with closed segments differs from the live estimate");
    }

    @Test
    void aSnapshotOfAnotherModelIsRefusedWhenTheModelIsNamed() {
        byte[] bytes = SnapshotCodec.write(exercised("ema", Map.of(), false));
        SnapshotReadException e = assertThrows(SnapshotReadException.class,
                () -> SnapshotReader.read(bytes, "00".repeat(32)));
        assertEquals(Reason.FINGERPRINT_MISMATCH, e.reason());
        assertEquals("ema", SnapshotReader.read(bytes).policy(), "any model when none is named");
    }

    @Test
    void formatThreeSnapshotsWithoutTheConditionWindowAreStillRead() {
        DomainState state = exercised("ema", Map.of("guard", "0"), false);
        byte[] v4 = SnapshotCodec.write(state);
        // the condition window (frames, noise weight, gate, then float64 mean and variance of the first layer's
        // channels) sits before the held blocks and the library flag: 8 + 8 + 1 bytes, then the checksum
        int window = 24 + 16 * source.channels(0);
        int end = v4.length - 4 - 17;
        byte[] v3 = new byte[v4.length - window];
        System.arraycopy(v4, 0, v3, 0, end - window);
        System.arraycopy(v4, end, v3, end - window, v4.length - end);
        v3[5] = 3;
        DomainSnapshot old = SnapshotReader.read(resealed(v3));
        DomainSnapshot current = SnapshotReader.read(v4);
        assertEquals(3, old.formatVersion());
        assertEquals(4, current.formatVersion());
        assertEquals(current.frames(), old.frames());
        for (int l = 0; l < source.layers(); l++) {
            assertArrayEquals(current.layers().get(l).mean(), old.layers().get(l).mean());
            assertArrayEquals(current.layers().get(l).fedMean(), old.layers().get(l).fedMean());
        }
    }

    @Test
    void malformedInputIsRefusedWithItsReason() {
        byte[] good = SnapshotCodec.write(exercised("prior-decay", Map.of(), true));
        assertEquals(Reason.BAD_MAGIC, refusal("ADSX".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(Reason.TRUNCATED, refusal(Arrays.copyOf(good, 2)));
        byte[] version = good.clone();
        version[5] = 5;
        assertEquals(Reason.UNSUPPORTED_VERSION, refusal(resealed(version)));
        version[5] = 1;
        assertEquals(Reason.UNSUPPORTED_VERSION, refusal(resealed(version)));
        byte[] precision = good.clone();
        precision[6] = 7;
        assertEquals(Reason.MALFORMED, refusal(resealed(precision)));
        byte[] flipped = good.clone();
        flipped[good.length / 2] ^= 0x10;
        Reason r = refusal(flipped);
        assertTrue(r == Reason.CHECKSUM_MISMATCH || r == Reason.NON_FINITE || r == Reason.MALFORMED, r.name());
        byte[] longer = Arrays.copyOf(good, good.length + 3);
        assertEquals(Reason.MALFORMED, refusal(resealed(longer)));
        for (int n = 0; n < good.length; n++) {
            assertEquals(Reason.TRUNCATED, refusal(Arrays.copyOf(good, n)), "prefix of " + n + " bytes");
        }
    }

    @Test
    void hugeAnnouncedShapesAreRefusedBeforeAnythingIsAllocated() {
        DomainState state = exercised("source", Map.of(), false);
        byte[] good = SnapshotCodec.write(state);
        int layerCount = layerCountOffset(state);
        assertEquals(source.layers(), ByteBuffer.wrap(good, layerCount, 4).getInt(), "offset of the layer count");
        byte[] layers = good.clone();
        ByteBuffer.wrap(layers, layerCount, 4).putInt(-1); // 2^32 − 1 layers
        assertEquals(Reason.TRUNCATED, refusal(resealed(layers)));
        byte[] channels = good.clone();
        ByteBuffer.wrap(channels, layerCount + 4, 4).putInt(Integer.MAX_VALUE);
        assertEquals(Reason.TRUNCATED, refusal(resealed(channels)));
        byte[] noLayers = good.clone();
        ByteBuffer.wrap(noLayers, layerCount, 4).putInt(0);
        assertEquals(Reason.MALFORMED, refusal(resealed(noLayers)));
    }

    @Test
    void fuzzedInputOnlyEverRaisesSnapshotReadExceptionAndWhatTheServiceAcceptsIsReadAlike() {
        Random fuzz = new Random(20240602);
        List<byte[]> seeds = new ArrayList<>();
        for (DomainState s : states()) {
            seeds.add(SnapshotCodec.write(s, StatisticsPrecision.values()[fuzz.nextInt(3)]));
        }
        int refused = 0;
        int bothAccepted = 0;
        for (int i = 0; i < 6_000; i++) {
            byte[] input = mutate(fuzz, seeds.get(fuzz.nextInt(seeds.size())), i);
            DomainState service;
            try {
                service = SnapshotCodec.read(input, source);
            } catch (SnapshotFormatException e) {
                service = null;
            }
            try {
                DomainSnapshot client = SnapshotReader.read(input);
                if (service != null) {
                    bothAccepted++;
                    assertEquals(service.frameCount(), client.frames());
                    assertArrayEquals(service.fedVar(1), client.layers().get(1).fedVariance());
                }
            } catch (SnapshotReadException e) {
                refused++;
                assertNull(service, "the service's reader accepted input #" + i + " that the client refused: " + e);
                assertTrue(!e.getMessage().contains("\n"), e.getMessage());
            } catch (Throwable t) {
                fail("input #" + i + " (" + input.length + " bytes) raised " + t, t);
            }
        }
        assertTrue(refused > 4_000, "refused " + refused);
        assertTrue(bothAccepted > 0, "some mutations keep a valid snapshot");
    }

    @Test
    void halfFloatsDecodeExactly() {
        assertEquals(1.0f, SnapshotReader.halfToFloat((short) 0x3C00));
        assertEquals(-2.0f, SnapshotReader.halfToFloat((short) 0xC000));
        assertEquals(65504f, SnapshotReader.halfToFloat((short) 0x7BFF));
        assertEquals(0x1p-24f, SnapshotReader.halfToFloat((short) 0x0001));
        assertEquals(0x1p-14f, SnapshotReader.halfToFloat((short) 0x0400));
        assertEquals(0.333251953125f, SnapshotReader.halfToFloat((short) 0x3555));
        assertEquals(Float.floatToIntBits(-0.0f), Float.floatToIntBits(SnapshotReader.halfToFloat((short) 0x8000)));
        assertEquals(Float.POSITIVE_INFINITY, SnapshotReader.halfToFloat((short) 0x7C00));
        assertTrue(Float.isNaN(SnapshotReader.halfToFloat((short) 0x7E00)));
    }

    @Test
    void theDeserializerReadsValuesAndPassesTombstonesThrough() {
        byte[] bytes = SnapshotCodec.write(exercised("adabn", Map.of(), false));
        SnapshotDeserializer deserializer = new SnapshotDeserializer();
        assertEquals("adabn", deserializer.deserialize("adastream.snapshots", bytes).policy());
        assertNull(deserializer.deserialize("adastream.snapshots", null));
    }

    private static Reason refusal(byte[] input) {
        return assertThrows(SnapshotReadException.class, () -> SnapshotReader.read(input)).reason();
    }

    /** Recomputes the CRC-32 trailer after an edit, so the edit itself is what the reader meets. */
    private static byte[] resealed(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 4);
        ByteBuffer.wrap(bytes, bytes.length - 4, 4).putInt((int) crc.getValue());
        return bytes;
    }

    /** Where the layer count sits: header, policy name and parameters, flags, schedule, detector (SNAPSHOT-FORMAT.md). */
    private static int layerCountOffset(DomainState state) {
        int offset = 4 + 2 + 1 + 32;
        offset += 2 + state.policy().name().getBytes(StandardCharsets.UTF_8).length + 2;
        for (Map.Entry<String, String> e : state.policy().parameters().entrySet()) {
            offset += 2 + e.getKey().getBytes(StandardCharsets.UTF_8).length
                    + 2 + e.getValue().getBytes(StandardCharsets.UTF_8).length;
        }
        return offset + 1 + 8 + 8 + 8 + 8 + 8 + (8 + 8 + 8 + 4 + 4 + 8 + 8);
    }

    /** Random bytes, truncations, bit flips and field overwrites; half of the edits re-sealed. */
    private static byte[] mutate(Random fuzz, byte[] seed, int i) {
        switch (i % 4) {
            case 0 -> {
                byte[] noise = new byte[fuzz.nextInt(200)];
                fuzz.nextBytes(noise);
                if (noise.length > 8 && fuzz.nextBoolean()) {
                    System.arraycopy(SnapshotReader.MAGIC, 0, noise, 0, 4);
                    noise[4] = 0;
                    noise[5] = 2;
                }
                return noise;
            }
            case 1 -> {
                return Arrays.copyOf(seed, fuzz.nextInt(seed.length + 1));
            }
            case 2 -> {
                byte[] b = seed.clone();
                int flips = 1 + fuzz.nextInt(3);
                for (int k = 0; k < flips; k++) {
                    b[fuzz.nextInt(b.length)] ^= (byte) (1 << fuzz.nextInt(8));
                }
                return fuzz.nextBoolean() ? resealed(b) : b;
            }
            default -> {
                byte[] b = seed.clone();
                int at = fuzz.nextInt(Math.max(1, b.length - 8));
                ByteBuffer.wrap(b, at, 8).putLong(fuzz.nextBoolean() ? fuzz.nextLong() : -1L);
                return fuzz.nextBoolean() ? resealed(b) : b;
            }
        }
    }
}
