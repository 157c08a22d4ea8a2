package io.adastream.topology.config;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every setting constant is a known key: a key missing from {@link Keys#ALL} would be refused as unknown. */
class KeysTest {

    @Test
    void everyKeyConstantIsListedInAllAndAccepted() throws IllegalAccessException {
        List<String> constants = new ArrayList<>();
        for (Field f : Keys.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                constants.add((String) f.get(null));
            }
        }
        assertTrue(constants.size() >= 31, "constants found: " + constants.size());
        assertEquals(new TreeSet<>(constants), new TreeSet<>(Keys.ALL), "Keys.ALL against the key constants");
        assertEquals(Keys.ALL.size(), Set.copyOf(Keys.ALL).size(), "no key listed twice");
        for (String key : constants) {
            assertTrue(KnownKeys.known(key), key + " is refused as unknown");
        }
        assertTrue(!KnownKeys.known("image.max.pixel"), "a misspelt key is unknown");
    }
}
