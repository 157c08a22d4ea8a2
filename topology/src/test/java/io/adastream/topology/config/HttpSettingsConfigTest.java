package io.adastream.topology.config;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The HTTP port's settings: {@code http.bind.address}, {@code http.request.timeout.ms}, {@code admin.read.open}. */
class HttpSettingsConfigTest {

    @Test
    void defaultsBindEveryInterfaceWithATenSecondRequestTimeoutAndClosedReads() throws ConfigException {
        AdaStreamConfig c = AdaStreamConfig.of(AdaStreamConfigTest.minimal());
        assertEquals("0.0.0.0", c.httpBindAddress());
        assertEquals(10_000, c.longValue(Keys.HTTP_REQUEST_TIMEOUT_MS, 100, 600_000));
        assertFalse(c.bool(Keys.ADMIN_READ_OPEN));
    }

    @Test
    void settingsAndTheirEnvironmentVariablesAreRead() throws ConfigException {
        Map<String, String> m = AdaStreamConfigTest.minimal();
        m.putAll(AdaStreamConfig.fromEnvironment(Map.of("ADASTREAM_HTTP_BIND_ADDRESS", "127.0.0.1",
                "ADASTREAM_HTTP_REQUEST_TIMEOUT_MS", "2500", "ADASTREAM_ADMIN_READ_OPEN", "true")));
        AdaStreamConfig c = AdaStreamConfig.of(m);
        assertEquals("127.0.0.1", c.httpBindAddress());
        assertEquals(2_500, c.longValue(Keys.HTTP_REQUEST_TIMEOUT_MS, 100, 600_000));
        assertTrue(c.bool(Keys.ADMIN_READ_OPEN));
        m.put(Keys.HTTP_BIND_ADDRESS, "::1");
        assertEquals("::1", AdaStreamConfig.of(m).httpBindAddress());
        m.put(Keys.HTTP_BIND_ADDRESS, "adastream-0.adastream.svc");
        assertEquals("adastream-0.adastream.svc", AdaStreamConfig.of(m).httpBindAddress());
    }

    @Test
    void badValuesFailWithOneLineNamingTheKey() {
        Map<String, String[]> bad = Map.of(
                "bind with a space", new String[]{Keys.HTTP_BIND_ADDRESS, "127.0.0.1 8080"},
                "bind with a scheme", new String[]{Keys.HTTP_BIND_ADDRESS, "http://0.0.0.0"},
                "timeout too short", new String[]{Keys.HTTP_REQUEST_TIMEOUT_MS, "50"},
                "timeout not a number", new String[]{Keys.HTTP_REQUEST_TIMEOUT_MS, "10s"},
                "reads open not a boolean", new String[]{Keys.ADMIN_READ_OPEN, "yes"});
        bad.forEach((what, kv) -> {
            Map<String, String> m = AdaStreamConfigTest.minimal();
            m.put(kv[0], kv[1]);
            ConfigException e = assertThrows(ConfigException.class, () -> AdaStreamConfig.of(m), what);
            assertTrue(e.getMessage().contains(kv[0]), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
        });
    }
}
