package io.adastream.adapt.stats.policy;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PoliciesTest {

    private static String refusal(String name, Map<String, String> params) {
        return assertThrows(IllegalArgumentException.class, () -> Policies.create(name, params)).getMessage();
    }

    @Test
    void unknownNamesAndParametersAreRefusedClearly() {
        assertTrue(refusal("tent", Map.of()).contains("unknown policy 'tent'"));
        assertTrue(refusal("tent", Map.of()).contains("prior-decay"));
        assertTrue(refusal("ema", Map.of("mommentum", "0.1")).contains("has no parameter 'mommentum'"));
        assertTrue(refusal("source", Map.of("prior", "3")).contains("it takes none"));
    }

    @Test
    void outOfRangeAndMalformedValuesAreRefused() {
        assertTrue(refusal("ema", Map.of("momentum", "0")).contains("'momentum' = '0' is invalid"));
        assertTrue(refusal("ema", Map.of("momentum", "1.5")).contains("(0.0, 1.0]"));
        assertTrue(refusal("prior-decay", Map.of("prior", "abc")).contains("expected a number"));
        assertTrue(refusal("prior-decay", Map.of("floor", "NaN")).contains("'floor'"));
        assertTrue(refusal("prior-decay", Map.of("variance", "exact")).contains("moment-exact, ema-var"));
        assertTrue(refusal("balanced", Map.of("max-segments", "0")).contains("'max-segments'"));
        assertTrue(refusal("balanced", Map.of("eta", "1")).contains("'eta'"));
        assertTrue(refusal("adabn", Map.of("window", "0.5")).contains("'window'"));
        assertTrue(refusal("momentum-decay", Map.of("m0", "1", "floor", "0.1")).contains("m0 + floor"));
        assertTrue(refusal("momentum-decay", Map.of("schedule", "linear")).contains("dua, exponential"));
    }

    @Test
    void canonicalParametersRecreateTheSamePolicy() {
        for (String name : Policies.NAMES) {
            AdaptationPolicy p = Policies.create(name);
            AdaptationPolicy again = Policies.create(name, p.parameters());
            assertEquals(p.parameters(), again.parameters(), name);
            assertEquals(name, p.name());
        }
        AdaptationPolicy balanced = Policies.create("balanced", Map.of("concentration", "equal"));
        assertEquals("inf", balanced.parameters().get("concentration"));
        assertTrue(Double.isInfinite(balanced.segments().concentration()));
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        assertEquals("prior-decay", Policies.defaultPolicy().name());
        assertEquals(Map.of("prior", "16.0", "floor", "0.005", "restart-count", "16.0", "variance", "moment-exact",
                "b-max", "0.5", "layer-decay", "0.0", "guard", "2.0",
                "min-shift", "0.04"), Policies.defaultPolicy().parameters());
        SegmentSettings s = Policies.create("balanced").segments();
        assertEquals(new SegmentSettings(100, 1000, 4, 16, Double.NaN), s);
        assertEquals("0.01", Policies.create("ema").parameters().get("momentum"));
    }

    @Test
    void restartsFollowEachPolicysRule() {
        Schedule s = new Schedule();
        AdaptationPolicy prior = Policies.create("prior-decay");
        prior.start(s);
        for (int i = 0; i < 50; i++) {
            prior.advance(s);
        }
        prior.restart(s);
        assertEquals(1.0 / 17, prior.peekWeight(s), 1e-15); // a ← N_restart = 16
        AdaptationPolicy dua = Policies.create("momentum-decay");
        dua.start(s);
        for (int i = 0; i < 50; i++) {
            dua.advance(s);
        }
        dua.restart(s);
        assertEquals(0.1 * 0.94 + 0.005, dua.peekWeight(s), 1e-15); // k ← 0
        AdaptationPolicy adabn = Policies.create("adabn");
        adabn.start(s);
        adabn.advance(s);
        adabn.restart(s);
        assertEquals(1.0, adabn.peekWeight(s), 0); // AdaBN restarts without a prior
    }

    @Test
    void blockWeightEqualsTheWeightOfItsFrames() {
        Schedule s = new Schedule();
        AdaptationPolicy prior = Policies.create("source-prior", Map.of("prior", "4"));
        prior.start(s);
        // c = 1, no floor: a block of 3 frames after a prior of 4 gets 3/7
        assertEquals(3.0 / 7, prior.advanceBlock(s, 3), 1e-15);
        assertEquals(7.0, s.effectiveCount(), 0);
        assertEquals(3, s.step());
    }
}
