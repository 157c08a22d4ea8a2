package io.adastream.adapt.stats.policy;

import java.util.Map;

/**
 * {@code ema}: a fixed momentum, w ≡ m_ema (PyTorch convention; ONNX momentum = 1 − m_ema). Default 0.01 per
 * frame. A confirmed shift does not change the weight (there is no schedule to restart).
 */
public final class EmaPolicy extends ConfiguredPolicy {

    public static final String NAME = "ema";
    public static final double DEFAULT_MOMENTUM = 0.01;

    private final double momentum;

    private EmaPolicy(double momentum, PolicyParameters p) {
        super(NAME, p);
        this.momentum = momentum;
    }

    /** Parameters: {@code momentum} ∈ (0, 1] (0.01), {@code variance}, {@code b-max}, {@code layer-decay}. */
    public static EmaPolicy create(Map<String, String> given) {
        PolicyParameters p = new PolicyParameters(NAME, given);
        return new EmaPolicy(p.number("momentum", DEFAULT_MOMENTUM, 0, true, 1), p);
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
}
