package io.adastream.adapt.stats.policy;

import io.adastream.adapt.stats.AgreementGuard;
import io.adastream.adapt.stats.VarianceMode;

import java.util.Collections;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads a policy's parameters from strings: each value is parsed and range-checked with a clear message, defaults
 * fill the gaps, unknown names are refused, and the canonical map (every parameter, defaults included) is kept.
 */
final class PolicyParameters {

    private final String policy;
    private final Map<String, String> given;
    private final Set<String> read = new HashSet<>();
    private final Map<String, String> canonical = new TreeMap<>();

    PolicyParameters(String policy, Map<String, String> given) {
        this.policy = policy;
        this.given = given == null ? Map.of() : given;
    }

    /** A number in [min, max] (bounds inclusive unless {@code openMin}). */
    double number(String key, double defaultValue, double min, boolean openMin, double max) {
        String raw = raw(key);
        double value = defaultValue;
        if (raw != null) {
            try {
                value = Double.parseDouble(raw.trim());
            } catch (NumberFormatException e) {
                throw invalid(key, raw, "a number");
            }
        }
        boolean aboveMin = openMin ? value > min : value >= min;
        if (!Double.isFinite(value) || !aboveMin || value > max) {
            throw invalid(key, raw == null ? Double.toString(value) : raw,
                    "a number in " + (openMin ? "(" : "[") + min + ", " + max + "]");
        }
        canonical.put(key, Double.toString(value));
        return value;
    }

    /** A whole number in [min, max]. */
    long integer(String key, long defaultValue, long min, long max) {
        String raw = raw(key);
        long value = defaultValue;
        if (raw != null) {
            try {
                value = Long.parseLong(raw.trim());
            } catch (NumberFormatException e) {
                throw invalid(key, raw, "a whole number");
            }
        }
        if (value < min || value > max) {
            throw invalid(key, Long.toString(value), "a whole number in [" + min + ", " + max + "]");
        }
        canonical.put(key, Long.toString(value));
        return value;
    }

    /** One of the given words. */
    String choice(String key, String defaultValue, String... options) {
        String raw = raw(key);
        String value = raw == null ? defaultValue : raw.trim();
        for (String option : options) {
            if (option.equals(value)) {
                canonical.put(key, value);
                return value;
            }
        }
        throw invalid(key, value, "one of " + String.join(", ", options));
    }

    /** The fold's variance mode ({@code variance}: moment-exact | ema-var). */
    VarianceMode varianceMode() {
        return VarianceMode.parse(choice("variance", VarianceMode.MOMENT_EXACT.id(), "moment-exact", "ema-var"));
    }

    /** The blend cap {@code b-max} in [0, 1], default 0.5. */
    double maxBlend() {
        return number("b-max", AdaptationPolicy.DEFAULT_MAX_BLEND, 0, false, 1);
    }

    /** The UBNA+ depth factor {@code layer-decay} ≥ 0, default 0 (off). */
    double layerDecay() {
        return number("layer-decay", 0, 0, false, 10);
    }

    /** The agreement guard's strength {@code guard} in [0, 100], default 2 (0: off). */
    double guardStrength() {
        return number("guard", AgreementGuard.DEFAULT_STRENGTH, 0, false, 100);
    }

    /** The condition gate's threshold {@code min-shift} in [0, 10], default 0.04 (0: no gate). */
    double minShift() {
        return number("min-shift", AgreementGuard.DEFAULT_MIN_SHIFT, 0, false, 10);
    }

    /** Records a parameter's canonical value that was read by the caller itself. */
    void put(String key, String canonicalValue) {
        canonical.put(key, canonicalValue);
    }

    /** The raw value of a parameter, or null; marks it as known. */
    String raw(String key) {
        read.add(key);
        return given.get(key);
    }

    /** Refuses parameters that the policy did not read. */
    void finish() {
        for (String key : given.keySet()) {
            if (!read.contains(key)) {
                throw new IllegalArgumentException("policy '" + policy + "' has no parameter '" + key + "'"
                        + (read.isEmpty() ? "; it takes none" : "; known: " + String.join(", ", new TreeMap<>(
                        toMap(read)).keySet())));
            }
        }
    }

    Map<String, String> canonical() {
        return Collections.unmodifiableMap(new TreeMap<>(canonical));
    }

    IllegalArgumentException invalid(String key, String value, String expected) {
        return new IllegalArgumentException("policy '" + policy + "': parameter '" + key + "' = '" + value
                + "' is invalid; expected " + expected);
    }

    private static Map<String, String> toMap(Set<String> keys) {
        Map<String, String> m = new TreeMap<>();
        keys.forEach(k -> m.put(k, ""));
        return m;
    }
}
