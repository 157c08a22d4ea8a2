package io.adastream.topology;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The domain-id rule: 1 to 128 characters from {@code [A-Za-z0-9._:-]}, starting with a letter or digit. Ids end
 * up in metric labels, URLs and logs, so nothing else is accepted.
 */
public final class DomainIds {

    public static final int MAX_LENGTH = 128;
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

    private DomainIds() {
    }

    public static boolean isValid(String id) {
        return id != null && id.length() <= MAX_LENGTH && VALID.matcher(id).matches();
    }

    /** The id in a record key, or null when the key is missing, not UTF-8 or breaks the rule. */
    public static String fromKey(byte[] key) {
        if (key == null || key.length == 0 || key.length > MAX_LENGTH) {
            return null;
        }
        try {
            String id = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(key)).toString();
            return isValid(id) ? id : null;
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
