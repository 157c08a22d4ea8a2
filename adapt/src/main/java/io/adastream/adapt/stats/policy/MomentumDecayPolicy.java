package io.adastream.adapt.stats.policy;

import java.util.Map;

/**
 * {@code momentum-decay}: a momentum that decays with the frames seen in the segment, k = 1, 2, … and restarts at a
 * confirmed shift. Two schedules:
 * <ul>
 *   <li>{@code schedule=dua} (default, DUA code): w_k = m0·ξ^k + m_min, with m0 = 0.1, ξ = 0.94, m_min = 0.005,
 *       so w_1 = 0.0990, w_10 = 0.0589 and the source keeps Π(1 − w_k) = 0.447 after 10 frames;</li>
 *   <li>{@code schedule=exponential} (Liu et al. / UBNA): w_k = max(m0·exp(−α·(k − 1)), m_min), α = 0.08.
 *       UBNA counts k from 0 and has no floor; we shift k by one so both schedules start at their first frame,
 *       and keep the floor so a long stream still adapts.</li>
 * </ul>
 */
public final class MomentumDecayPolicy extends ConfiguredPolicy {

    public static final String NAME = "momentum-decay";

    private final boolean exponential;
    private final double initial;
    private final double ratio;
    private final double alpha;
    private final double floor;

    private MomentumDecayPolicy(boolean exponential, double initial, double ratio, double alpha, double floor,
                                PolicyParameters p) {
        super(NAME, p);
        this.exponential = exponential;
        this.initial = initial;
        this.ratio = ratio;
        this.alpha = alpha;
        this.floor = floor;
    }

    /**
     * Parameters: {@code schedule} dua | exponential, {@code m0} (0.1), {@code decay} ξ (0.94, dua),
     * {@code alpha} (0.08, exponential), {@code floor} m_min (0.005), {@code variance}, {@code b-max}, {@code layer-decay}.
     */
    public static MomentumDecayPolicy create(Map<String, String> given) {
        PolicyParameters p = new PolicyParameters(NAME, given);
        boolean exponential = p.choice("schedule", "dua", "dua", "exponential").equals("exponential");
        double initial = p.number("m0", 0.1, 0, false, 1);
        double alpha = exponential ? p.number("alpha", 0.08, 0, false, 100) : Double.NaN;
        double ratio = exponential ? Double.NaN : p.number("decay", 0.94, 0, false, 1);
        double floor = p.number("floor", 0.005, 0, false, 1);
        if (!exponential && initial + floor > 1) {
            throw p.invalid("m0", Double.toString(initial), "m0 + floor ≤ 1 (a weight above 1 overshoots)");
        }
        return new MomentumDecayPolicy(exponential, initial, ratio, alpha, floor, p);
    }

    /** DUA: w_k = m0·ξ^k + m_min. */
    static double duaWeight(long k, double m0, double xi, double mMin) {
        return m0 * Math.pow(xi, k) + mMin;
    }

    /** UBNA-style: w_k = max(m0·exp(−α·(k − 1)), m_min). */
    static double exponentialWeight(long k, double m0, double alpha, double mMin) {
        return Math.max(m0 * Math.exp(-alpha * (k - 1)), mMin);
    }

    /** The weight of the k-th frame of a segment (k from 1). */
    public double weightAt(long k) {
        return exponential ? exponentialWeight(k, initial, alpha, floor) : duaWeight(k, initial, ratio, floor);
    }

    @Override
    public double peekWeight(Schedule s) {
        return weightAt(s.step() + 1);
    }

    @Override
    public double advance(Schedule s) {
        double w = weightAt(s.step() + 1);
        s.advance(s.effectiveCount(), w);
        return w;
    }

    @Override
    public void start(Schedule s) {
        s.set(0, 0, 1.0);
    }

    /** k ← 0: the next frame gets w_1 again. */
    @Override
    public void restart(Schedule s) {
        s.set(s.effectiveCount(), 0, s.sourceWeight());
    }

    /** Keeps k (the frames already in the segment). */
    @Override
    public void adopt(Schedule s) {
        s.set(s.effectiveCount(), s.step(), s.sourceWeight());
    }
}
