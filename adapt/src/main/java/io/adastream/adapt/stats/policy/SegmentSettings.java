package io.adastream.adapt.stats.policy;

/**
 * Settings of the {@code balanced} policy's segment library (docs/algorithms.md §11.5): the Dirichlet concentration α_D
 * (+∞ = equal weights), the forced segment length L_seg, the library size K_max, the mixture refresh interval F, and
 * the similarity-gate temperature τ_g (NaN = automatic: the detector's alarm level; 0 = gate off).
 */
public record SegmentSettings(double concentration, long segmentLength, int maxSegments, int mixtureInterval,
                              double gateTemperature) {

    /** Whether the gate temperature follows the detector's alarm level. */
    public boolean automaticGate() {
        return Double.isNaN(gateTemperature);
    }

    /** Whether the similarity gate is off (every segment has g = 1). */
    public boolean gateOff() {
        return gateTemperature == 0.0;
    }
}
