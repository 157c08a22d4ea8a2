package io.adastream.adapt.stats.shift;

/**
 * The per-domain state of the shift detector: frames since its (re)start, the EWMA baseline of the score and of its
 * square, the open alarm window (frames in it, alarm frames among them), and counters of confirmed shifts and
 * skipped spikes.
 */
public final class DetectorState {

    private long frames;
    private double baseline;
    private double baselineSquare;
    private int windowFrames;
    private int alarmFrames;
    private long shifts;
    private long spikesSkipped;

    /** Frames observed since the detector (re)started; the first W are warm-up. */
    public long frames() {
        return frames;
    }

    /** EWMA of the score over frames not in alarm. */
    public double baseline() {
        return baseline;
    }

    /** EWMA of the squared score (for a z-score metric). */
    public double baselineSquare() {
        return baselineSquare;
    }

    /** Frames in the open alarm window, 0 when no alarm is open. */
    public int windowFrames() {
        return windowFrames;
    }

    /** Alarm frames in the open window. */
    public int alarmFrames() {
        return alarmFrames;
    }

    public boolean alarmOpen() {
        return windowFrames > 0;
    }

    /** Confirmed shifts since the domain started. */
    public long shifts() {
        return shifts;
    }

    /** Spike frames dropped since the domain started. */
    public long spikesSkipped() {
        return spikesSkipped;
    }

    /** How many standard deviations {@code score} lies above the baseline (0 while the spread is unknown). */
    public double zScore(double score) {
        double spread = Math.sqrt(Math.max(baselineSquare - baseline * baseline, 0));
        return spread > 0 ? (score - baseline) / spread : 0.0;
    }

    /** Restores every field (snapshot reader); values are checked. */
    public void restore(long frames, double baseline, double baselineSquare, int windowFrames, int alarmFrames,
                        long shifts, long spikesSkipped) {
        if (frames < 0 || shifts < 0 || spikesSkipped < 0 || windowFrames < 0 || alarmFrames < 0
                || alarmFrames > windowFrames || !(baseline >= 0) || !(baselineSquare >= 0)
                || Double.isInfinite(baseline) || Double.isInfinite(baselineSquare)) {
            throw new IllegalArgumentException("invalid detector state: frames " + frames + ", baseline " + baseline
                    + ", square " + baselineSquare + ", window " + windowFrames + "/" + alarmFrames
                    + ", shifts " + shifts + ", spikes " + spikesSkipped);
        }
        this.frames = frames;
        this.baseline = baseline;
        this.baselineSquare = baselineSquare;
        this.windowFrames = windowFrames;
        this.alarmFrames = alarmFrames;
        this.shifts = shifts;
        this.spikesSkipped = spikesSkipped;
    }

    /** Back to warm-up with no baseline and no open alarm; the counters are kept. */
    public void restart() {
        frames = 0;
        baseline = 0;
        baselineSquare = 0;
        windowFrames = 0;
        alarmFrames = 0;
    }

    /** Everything back to zero, counters included (domain reset). */
    public void clear() {
        restart();
        shifts = 0;
        spikesSkipped = 0;
    }

    void learn(double score, double rate) {
        learn(score, rate, 1);
    }

    /** {@link #learn(double, double)} for a score standing for {@code span} frames: rate r becomes 1 − (1 − r)^span. */
    void learn(double score, double rate, int span) {
        long n = frames + 1;
        double once = Math.max(1.0 / n, rate);
        double r = span == 1 ? once : 1 - Math.pow(1 - once, span);
        baseline += r * (score - baseline);
        baselineSquare += r * (score * score - baselineSquare);
    }

    void countFrame() {
        frames++;
    }

    void openWindow() {
        windowFrames = 0;
        alarmFrames = 0;
    }

    void windowFrame(boolean alarm) {
        windowFrames++;
        if (alarm) {
            alarmFrames++;
        }
    }

    void closeWindow() {
        windowFrames = 0;
        alarmFrames = 0;
    }

    void countShift() {
        shifts++;
    }

    void countSpikes(long n) {
        spikesSkipped += n;
    }
}
