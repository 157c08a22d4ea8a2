package io.adastream.adapt.stats;

/**
 * How a snapshot stores its per-channel statistics: {@code FLOAT64} (exact round trip), {@code FLOAT32} (half the
 * size, the precision the graph is fed with) or {@code FLOAT16} (a quarter, with a power-of-two scale per array so
 * that large variances do not overflow; about 3 significant digits).
 */
public enum StatisticsPrecision {
    FLOAT64(0, 8),
    FLOAT32(1, 4),
    FLOAT16(2, 2);

    private final int code;
    private final int bytesPerValue;

    StatisticsPrecision(int code, int bytesPerValue) {
        this.code = code;
        this.bytesPerValue = bytesPerValue;
    }

    public int code() {
        return code;
    }

    public int bytesPerValue() {
        return bytesPerValue;
    }

    /** The precision with this code, or null. */
    public static StatisticsPrecision ofCode(int code) {
        for (StatisticsPrecision p : values()) {
            if (p.code == code) {
                return p;
            }
        }
        return null;
    }

    /** By name as written in configuration: float64, float32 or float16. */
    public static StatisticsPrecision parse(String name) {
        for (StatisticsPrecision p : values()) {
            if (p.name().equalsIgnoreCase(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("precision must be float64, float32 or float16, got '" + name + "'");
    }
}
