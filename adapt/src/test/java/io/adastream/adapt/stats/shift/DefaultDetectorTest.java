package io.adastream.adapt.stats.shift;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * The default detector's persistence window against the score pattern of a content event measured inside a
 * stationary CamVid sequence (dusk 0001TP, frames 110 to 123: 12 alarm frames in 14) and a lasting change.
 */
class DefaultDetectorTest {

    /** Frames of the event whose ratio was above 3 (offsets from its first alarm frame). */
    private static final boolean[] EVENT = {true, false, true, true, true, true, true, true, true, true, true, true,
            false, true};

    private static DetectorState warmedUp(ShiftDetector detector) {
        DetectorState state = new DetectorState();
        for (int t = 0; t < detector.settings().warmup(); t++) {
            assertEquals(Verdict.NORMAL, detector.observe(state, 1.0));
        }
        assertEquals(1.0, state.baseline(), 1e-12);
        return state;
    }

    @Test
    void defaultsAreFourteenAlarmFramesInSixteen() {
        DetectorSettings d = DetectorSettings.defaults();
        assertEquals(14, d.confirmations());
        assertEquals(16, d.window());
        assertEquals(3.0, d.ratio());
    }

    @Test
    void aTwelveFrameContentEventIsDismissedByTheDefaultsButConfirmedByThreeOfFive() {
        ShiftDetector detector = new ShiftDetector(DetectorSettings.defaults());
        DetectorState state = warmedUp(detector);
        Verdict last = null;
        for (int t = 0; t < 16; t++) {
            double score = t < EVENT.length && EVENT[t] ? 8.0 : 1.0;
            last = detector.observe(state, score);
            assertNotEquals(Verdict.CONFIRMED, last, "frame " + t);
        }
        assertEquals(Verdict.DISMISSED, last, "the 16-frame window closes with 12 alarm frames");
        assertEquals(0, state.shifts());

        ShiftDetector quick = new ShiftDetector(new DetectorSettings(true, 30, 0.02, 3.0, 3, 5, 20.0));
        DetectorState other = warmedUp(quick);
        int confirmedAt = -1;
        for (int t = 0; t < EVENT.length && confirmedAt < 0; t++) {
            if (quick.observe(other, EVENT[t] ? 8.0 : 1.0) == Verdict.CONFIRMED) {
                confirmedAt = t;
            }
        }
        assertEquals(3, confirmedAt, "3 of 5 fires on the event's third alarm frame (a false alarm)");
    }

    @Test
    void aLastingChangeIsConfirmedOnItsFourteenthAlarmFrame() {
        ShiftDetector detector = new ShiftDetector(DetectorSettings.defaults());
        DetectorState state = warmedUp(detector);
        for (int t = 0; t < 13; t++) {
            Verdict v = detector.observe(state, 10.0);
            assertEquals(Verdict.HOLD, v, "frame " + t);
        }
        assertEquals(Verdict.CONFIRMED, detector.observe(state, 10.0));
        assertEquals(1, state.shifts());
    }
}
