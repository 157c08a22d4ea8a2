package io.adastream.adapt.stats.policy;

import io.adastream.adapt.stats.VarianceMode;

import java.util.Map;

/**
 * {@code ema}: a fixed momentum, w ≡ m_ema (PyTorch convention; ONNX momentum = 1 − m_ema). Default 0.01 per
 * frame. A confirmed shift does not change the weight (there is no schedule to restart).
 */
public final class EmaPolicy implements AdaptationPolicy {

    public static final String NAME = "ema";
    public static final double DEFAULT_MOMENTUM = 0.01;

    private final double momentum;
    private final VarianceMode varianceMode;
    private final double maxBlend;
    private final double layerDecay;
    private final Map<String, String> parameters;

    private EmaPolicy(PolicyParameters p) {
        momentum = p.number("momentum", DEFAULT_MOMENTUM, 0, true, 1);
        varianceMode = p.varianceMode();
        maxBlend = p.maxBlend();
        layerDecay = p.layerDecay();
        p.finish();
        parameters = p.canonical();
    }

    /** Parameters: {@code momentum} ∈ (0, 1] (0.01), {@code variance}, {@code b-max}, {@code layer-decay}. */
    public static EmaPolicy create(Map<String, String> given) {
        return new EmaPolicy(new PolicyParameters(NAME, given));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, String> parameters() {
        return parameters;
    }

    @Override
    public VarianceMode varianceMode() {
        return varianceMode;
    }

    @Override
    public double maxBlend() {
        return maxBlend;
    }

    @Override
    public double layerDecay() {
        return layerDecay;
    }

    @Override
    public void start(Schedule s) {
        s.set(0, 0, 1.0);
    }

    @Override
    public void restart(Schedule s) {
        s.set(s.effectiveCount(), 0, s.sourceWeight());
    }

    @Override
    public void adopt(Schedule s) {
        s.set(s.effectiveCount(), s.step(), s.sourceWeight());
    }

    @Override
    public double peekWeight(Schedule s) {
        return momentum;
    }

    @Override
    public double advance(Schedule s) {
        s.advance(s.effectiveCount(), momentum);
        return momentum;
    }

    @Override
    public String toString() {
        return NAME + parameters;
    }
}
