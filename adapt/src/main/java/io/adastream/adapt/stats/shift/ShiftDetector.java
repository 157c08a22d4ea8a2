package io.adastream.adapt.stats.shift;

/**
 * The ratio-and-persistence shift detector of docs/algorithms.md §11.6. After a warm-up of W frames that only learn the
 * baseline, a frame is an alarm frame when its score exceeds ρ times the baseline (an EWMA of the scores of frames
 * not in alarm). The first alarm frame opens a window of K frames; M alarm frames in it confirm a shift, otherwise
 * the window is dismissed. Frames with ratio above ρ_hard are spikes: held, and dropped if the alarm is dismissed.
 */
public final class ShiftDetector {

    private final DetectorSettings settings;
    private double lastRatio = Double.NaN;

    public ShiftDetector(DetectorSettings settings) {
        this.settings = settings;
    }

    public DetectorSettings settings() {
        return settings;
    }

    /** The ratio r = s_t / b_{t−1} of the last observed frame (NaN in warm-up). */
    public double lastRatio() {
        return lastRatio;
    }

    /** The alarm level ρ·baseline of a domain, or NaN while it has no baseline. */
    public double alarmLevel(DetectorState state) {
        return state.baseline() > 0 ? settings.ratio() * state.baseline() : Double.NaN;
    }

    /** Whether an observed ratio marks a spike. */
    public boolean isSpike(double ratio) {
        return ratio > settings.hardRatio();
    }

    /** Observes one frame's score and moves the domain's detector state on. */
    public Verdict observe(DetectorState state, double score) {
        if (!settings.enabled() || state.frames() < settings.warmup()) {
            lastRatio = Double.NaN;
            state.learn(score, settings.baselineRate());
            state.countFrame();
            return Verdict.NORMAL;
        }
        double baseline = state.baseline();
        double ratio = baseline > 0 ? score / baseline : (score > 0 ? Double.POSITIVE_INFINITY : 0.0);
        lastRatio = ratio;
        boolean alarm = ratio > settings.ratio();
        if (!alarm) {
            state.learn(score, settings.baselineRate());
        }
        state.countFrame();
        if (!state.alarmOpen() && !alarm) {
            return Verdict.NORMAL;
        }
        if (!state.alarmOpen()) {
            state.openWindow();
        }
        state.windowFrame(alarm);
        if (state.alarmFrames() >= settings.confirmations()) {
            state.closeWindow();
            state.countShift();
            return Verdict.CONFIRMED;
        }
        if (state.windowFrames() >= settings.window()) {
            state.closeWindow();
            return Verdict.DISMISSED;
        }
        return isSpike(ratio) ? Verdict.SPIKE : Verdict.HOLD;
    }

    /** Records spikes dropped at a dismissal. */
    public void countSpikes(DetectorState state, long n) {
        state.countSpikes(n);
    }

    /** Starts a new segment's warm-up (after a confirmed shift). */
    public void restart(DetectorState state) {
        state.restart();
    }
}
