package io.adastream.metrics;

import java.util.regex.Pattern;

/**
 * The domain-id rule of the service (1 to 128 characters of {@code [A-Za-z0-9._:-]}, starting with a letter or
 * digit), repeated here because this module does not depend on the topology. Such an id can never name a path.
 */
public final class DomainIdRule {

    public static final int MAX_LENGTH = 128;
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

    private DomainIdRule() {
    }

    public static boolean isValid(String id) {
        return id != null && id.length() <= MAX_LENGTH && VALID.matcher(id).matches();
    }
}
