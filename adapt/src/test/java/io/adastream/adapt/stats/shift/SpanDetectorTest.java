package io.adastream.adapt.stats.shift;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A score standing for several frames (the two-tier path's adaptive frame after baked ones) moves the baseline as that
 * many frames of the same score would, and the window and counters by one observed frame.
 */
class SpanDetectorTest {

    private final ShiftDetector detector = new ShiftDetector(DetectorSettings.defaults());

    /** 100 frames of score 4: the baseline is 4 and the rate β = 0.02 (1/n is under it from frame 50 on). */
    private DetectorState settled() {
        DetectorState state = new DetectorState();
        for (int t = 0; t < 100; t++) {
            detector.observe(state, 4.0);
        }
        assertEquals(4.0, state.baseline(), 1e-9);
        return state;
    }

    @Test
    void aScoreStandingForThirtyTwoFramesMovesTheBaselineAsThirtyTwoFramesOfIt() {
        DetectorState spanned = settled();
        DetectorState oneByOne = settled();
        assertEquals(Verdict.NORMAL, detector.observe(spanned, 1.0, 32));
        for (int t = 0; t < 32; t++) {
            detector.observe(oneByOne, 1.0);
        }
        // b = s + (b0 − s)(1 − β)^32 = 1 + 3·0.98^32
        double expected = 1 + 3 * Math.pow(0.98, 32);
        assertEquals(expected, spanned.baseline(), 1e-12);
        assertEquals(expected, oneByOne.baseline(), 1e-12);
        assertEquals(101, spanned.frames(), "one observed frame");
        assertEquals(132, oneByOne.frames());
    }

    @Test
    void aSpanOfOneIsTheOrdinaryObservationBitForBit() {
        DetectorState a = settled();
        DetectorState b = settled();
        detector.observe(a, 2.5, 1);
        detector.observe(b, 2.5);
        assertEquals(Double.doubleToRawLongBits(b.baseline()), Double.doubleToRawLongBits(a.baseline()));
        assertEquals(Double.doubleToRawLongBits(b.baselineSquare()), Double.doubleToRawLongBits(a.baselineSquare()));
    }

    @Test
    void anAlarmFrameIsNotLearnedWhateverItsSpan() {
        DetectorState state = settled();
        assertEquals(Verdict.HOLD, detector.observe(state, 13.0, 32)); // ratio 3.25 > 3
        assertEquals(4.0, state.baseline(), 1e-9);
        assertEquals(1, state.windowFrames());
        assertEquals(1, state.alarmFrames());
    }
}
