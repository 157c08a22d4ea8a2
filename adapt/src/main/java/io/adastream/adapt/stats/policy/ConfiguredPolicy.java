package io.adastream.adapt.stats.policy;

import io.adastream.adapt.stats.VarianceMode;

import java.util.Map;

/**
 * What every policy with parameters keeps alike: its name, its canonical parameters, and the parameters all
 * of them take ({@code variance}, {@code b-max}, {@code layer-decay}, {@code guard}, {@code min-shift}). A subclass reads its own parameters first,
 * then hands the rest to this constructor, which refuses unknown ones.
 */
abstract class ConfiguredPolicy implements AdaptationPolicy {

    private final String name;
    private final VarianceMode varianceMode;
    private final double maxBlend;
    private final double layerDecay;
    private final double guardStrength;
    private final double minShift;
    private final Map<String, String> parameters;

    ConfiguredPolicy(String name, PolicyParameters params) {
        this.name = name;
        this.varianceMode = params.varianceMode();
        this.maxBlend = params.maxBlend();
        this.layerDecay = params.layerDecay();
        this.guardStrength = params.guardStrength();
        this.minShift = params.minShift();
        params.finish();
        this.parameters = params.canonical();
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final Map<String, String> parameters() {
        return parameters;
    }

    @Override
    public final VarianceMode varianceMode() {
        return varianceMode;
    }

    @Override
    public final double maxBlend() {
        return maxBlend;
    }

    @Override
    public final double layerDecay() {
        return layerDecay;
    }

    @Override
    public final double guardStrength() {
        return guardStrength;
    }

    @Override
    public final double minShift() {
        return minShift;
    }

    @Override
    public String toString() {
        return name + parameters;
    }
}
