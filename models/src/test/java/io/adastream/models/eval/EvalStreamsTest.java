package io.adastream.models.eval;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EvalStreamsTest {

    private final EvalStreams streams = new EvalStreams(5, 32, 32);

    @Test
    void singleDomainsShareScenesAndDifferInPixels() {
        var scenes = streams.singleDomainScenes(4);
        EvalStream clean = streams.singleDomain(scenes, Condition.CLEAN);
        EvalStream fog = streams.singleDomain(scenes, Condition.parse("fog-5"));
        EvalFrame a = clean.blocks().get(0).frames().get(2);
        EvalFrame b = fog.blocks().get(0).frames().get(2);
        assertArrayEquals(a.classMask(), b.classMask());
        assertFalse(java.util.Arrays.equals(a.packedRgb(), b.packedRgb()));
        assertEquals(List.of("fog-5"), fog.rows());
    }

    @Test
    void twoTierReportNamesSingleStreamsByCondition() {
        var scenes = streams.singleDomainScenes(2);
        assertEquals("single fog-5", TwoTierComparison.label(streams.singleDomain(scenes, Condition.parse("fog-5"))));
        assertEquals("continual", TwoTierComparison.label(
                streams.continual(List.of(Condition.CLEAN, Condition.parse("fog-5")), 2)));
    }

    @Test
    void sameSeedSameFrames() {
        EvalStream x = new EvalStreams(9, 32, 32).continual(List.of(Condition.CLEAN, Condition.parse("shot_noise-3")), 3);
        EvalStream y = new EvalStreams(9, 32, 32).continual(List.of(Condition.CLEAN, Condition.parse("shot_noise-3")), 3);
        for (int b = 0; b < 2; b++) {
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(x.blocks().get(b).frames().get(i).packedRgb(), y.blocks().get(b).frames().get(i).packedRgb());
            }
        }
    }

    @Test
    void continualRepeatsGetTheirOwnRow() {
        EvalStream s = streams.continual(List.of(Condition.CLEAN, Condition.parse("fog-5"), Condition.CLEAN), 2);
        assertEquals(List.of("clean", "fog-5", "clean (2nd time)"), s.rows());
        assertEquals(6, s.frameCount());
    }

    @Test
    void cyclicAlternatesAndHasProbes() {
        EvalStream s = streams.cyclic(Condition.CLEAN, Condition.parse("low_light-5"), 3, 2, 2, 4);
        assertEquals(List.of("clean", "low_light-5"), s.rows());
        assertEquals(4, s.blocks().size());
        assertEquals("low_light-5", s.blocks().get(3).row());
        assertEquals(2, s.probes().sets().get("clean").size());
        assertThrows(IllegalArgumentException.class, () -> streams.cyclic(Condition.CLEAN, Condition.CLEAN, 3, 2, 2, 4));
    }

    @Test
    void conditionsParse() {
        assertEquals(Condition.CLEAN, Condition.parse("clean"));
        assertEquals("low_light-3", Condition.parse("Low-Light-3").label());
        assertThrows(IllegalArgumentException.class, () -> Condition.parse("fog"));
        assertThrows(IllegalArgumentException.class, () -> Condition.parse("fog-6"));
    }
}
