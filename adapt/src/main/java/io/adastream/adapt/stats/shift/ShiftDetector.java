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
        return observe(state, score, 1);
    }

    /**
     * Observes one frame's score that stands for {@code span} frames of the stream (the two-tier path's adaptive frame
     * after span − 1 baked ones): a non-alarm score enters the baseline as {@code span} frames of that score would,
     * with rate 1 − (1 − β)^span, so that the baseline follows the stream at its own pace and not one K-th of it. The
     * warm-up, the persistence window and the counters move by one observed frame.
     */
    public Verdict observe(DetectorState state, double score, int span) {
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
            state.learn(score, settings.baselineRate(), span);
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
