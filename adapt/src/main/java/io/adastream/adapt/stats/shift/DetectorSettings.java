package io.adastream.adapt.stats.shift;

/**
 * Settings of the shift detector (docs/algorithms.md §11.6): warm-up W frames, baseline EWMA rate β, alarm ratio ρ,
 * confirmation M alarm frames within a window of K frames, spike ratio ρ_hard. Disabled: the score is still
 * computed (a metric) but never raises an alarm.
 */
public record DetectorSettings(boolean enabled, int warmup, double baselineRate, double ratio, int confirmations,
                               int window, double hardRatio) {

    public DetectorSettings {
        if (warmup < 1) {
            throw new IllegalArgumentException("detector warm-up must be >= 1 frame, got " + warmup);
        }
        if (!(baselineRate > 0 && baselineRate <= 1)) {
            throw new IllegalArgumentException("detector baseline rate must be in (0, 1], got " + baselineRate);
        }
        if (!(ratio > 1) || Double.isInfinite(ratio)) {
            throw new IllegalArgumentException("detector ratio must be finite and > 1, got " + ratio);
        }
        if (confirmations < 1 || window < confirmations || window > 1000) {
            throw new IllegalArgumentException("detector needs 1 <= confirmations <= window <= 1000, got "
                    + confirmations + " of " + window);
        }
        if (!(hardRatio >= ratio)) {
            throw new IllegalArgumentException("detector spike ratio must be >= the alarm ratio " + ratio + ", got " + hardRatio);
        }
    }

    /**
     * W = 30, β = 0.02, ρ = 3, M/K = 14/16, ρ_hard = 20. The long persistence window was chosen on real road video
     * (docs/tuning.md): content events inside one stationary CamVid sequence (a close vehicle, a turn) keep the
     * ratio above 3 for up to 12 of 14 frames, while a change of condition keeps it there for good.
     */
    public static DetectorSettings defaults() {
        return new DetectorSettings(true, 30, 0.02, 3.0, 14, 16, 20.0);
    }

    /** The default settings with detection switched off. */
    public static DetectorSettings disabled() {
        return new DetectorSettings(false, 30, 0.02, 3.0, 14, 16, 20.0);
    }

    /** These settings with another alarm ratio. */
    public DetectorSettings withRatio(double newRatio) {
        return new DetectorSettings(enabled, warmup, baselineRate, newRatio, confirmations, window,
                Math.max(hardRatio, newRatio));
    }
}
