package io.adastream.topology;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

class ControlCommandsTest {

    private static ControlCommand parse(String json) {
        return ControlCommands.parse(json.getBytes(StandardCharsets.UTF_8)).command();
    }

    @Test
    void eachCommandIsParsedIntoItsOwnType() {
        assertInstanceOf(ControlCommand.Reset.class, parse("{\"command\": \"reset\"}"));
        assertInstanceOf(ControlCommand.Freeze.class, parse("{\"command\": \"freeze\"}"));
        assertInstanceOf(ControlCommand.Unfreeze.class, parse("{\"command\": \"unfreeze\"}"));
        assertInstanceOf(ControlCommand.Snapshot.class, parse("{\"command\": \"snapshot\"}"));
        for (String name : ControlCommands.COMMANDS) {
            assertEquals(name, parse("{\"command\": \"" + name + "\", \"policy\": \"ema\"}").name());
        }
    }

    @Test
    void setPolicyCarriesItsPolicyAndParametersAsText() {
        ControlCommand.SetPolicy c = assertInstanceOf(ControlCommand.SetPolicy.class,
                parse("{\"command\": \"set-policy\", \"policy\": \"ema\", \"parameters\": {\"momentum\": 0.05}}"));
        assertEquals("ema", c.policy());
        assertEquals(Map.of("momentum", "0.05"), c.parameters());
        assertEquals("ema", c.newPolicy().name());
    }
}
