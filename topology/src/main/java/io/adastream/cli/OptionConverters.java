package io.adastream.cli;

import io.adastream.adapt.inference.AdaptationMode;
import io.adastream.adapt.stats.policy.Policies;
import io.adastream.models.eval.Condition;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Converters of option values into the project's types; a bad value becomes a one-line usage error. */
final class OptionConverters {

    private OptionConverters() {
    }

    /** {@code fused} or {@code two-pass}. */
    static final class Mode implements ITypeConverter<AdaptationMode> {
        @Override
        public AdaptationMode convert(String value) {
            return switch (value) {
                case "fused" -> AdaptationMode.FUSED;
                case "two-pass" -> AdaptationMode.TWO_PASS;
                default -> throw new TypeConversionException("must be fused or two-pass, got '" + value + "'");
            };
        }
    }

    /**
     * A known adaptation policy, optionally with parameters ({@code name:key=value;key=value}, e.g.
     * {@code prior-decay:guard=0}), or {@code all}.
     */
    static final class PolicyName implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            String spec = value.trim();
            if (spec.equals("all")) {
                return spec;
            }
            String name = spec.contains(":") ? spec.substring(0, spec.indexOf(':')) : spec;
            if (!Policies.NAMES.contains(name)) {
                throw new TypeConversionException("unknown policy '" + name + "'; known: " + String.join(", ", Policies.NAMES));
            }
            try {
                Policies.fromSpec(spec);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
            return spec;
        }
    }

    /** {@code clean} or CORRUPTION-SEVERITY such as {@code fog-5}. */
    static final class ShiftCondition implements ITypeConverter<Condition> {
        @Override
        public Condition convert(String value) {
            try {
                return Condition.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** A corruption at a severity, {@code fog:3} or {@code fog-3}. */
    static final class Corrupt implements ITypeConverter<Condition> {
        @Override
        public Condition convert(String value) {
            try {
                Condition c = Condition.parse(value.replace(':', '-'));
                if (c.isClean()) {
                    throw new TypeConversionException("expected CORRUPTION:SEVERITY such as fog:3, got '" + value + "'");
                }
                return c;
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
