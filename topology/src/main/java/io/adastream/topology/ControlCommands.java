package io.adastream.topology;

import io.adastream.adapt.stats.policy.Policies;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Parses control records into typed {@link ControlCommand}s: JSON like {@code {"command": "set-policy", "policy": "ema", "parameters": {"momentum":
 * "0.02"}}}. Control records are rare, so the tree model is fine here (never on the frame path).
 */
public final class ControlCommands {

    public static final Set<String> COMMANDS = Set.of("reset", "freeze", "unfreeze", "set-policy", "snapshot");
    static final int MAX_BYTES = 64 * 1024;
    /** Duplicate keys are refused: {@code {"command":"reset","command":"freeze"}} has no single meaning. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private ControlCommands() {
    }

    /** The command, or an exception whose message says what is wrong in one line. */
    public static DomainEvent.Control parse(byte[] value) throws IllegalArgumentException {
        if (value == null || value.length == 0) {
            throw new IllegalArgumentException("empty control command");
        }
        if (value.length > MAX_BYTES) {
            throw new IllegalArgumentException("control command larger than " + MAX_BYTES + " bytes");
        }
        JsonNode root;
        try {
            root = JSON.readTree(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("control command is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException("control command is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("control command must be a JSON object");
        }
        JsonNode command = root.get("command");
        if (command == null || !command.isTextual() || !COMMANDS.contains(command.asText())) {
            throw new IllegalArgumentException("'command' must be one of " + new java.util.TreeSet<>(COMMANDS));
        }
        String policy = null;
        Map<String, String> parameters = new TreeMap<>();
        if (command.asText().equals("set-policy")) {
            JsonNode p = root.get("policy");
            if (p == null || !p.isTextual() || !p.asText().matches("[a-z0-9-]{1,40}")) {
                throw new IllegalArgumentException("set-policy needs a 'policy' name");
            }
            policy = p.asText();
            JsonNode params = root.get("parameters");
            if (params != null) {
                if (!params.isObject()) {
                    throw new IllegalArgumentException("'parameters' must be an object");
                }
                for (Iterator<Map.Entry<String, JsonNode>> it = params.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (!e.getValue().isValueNode()) {
                        throw new IllegalArgumentException("parameter '" + e.getKey() + "' must be a string or number");
                    }
                    parameters.put(e.getKey(), e.getValue().asText());
                }
            }
        }
        return new DomainEvent.Control(switch (command.asText()) {
            case "reset" -> new ControlCommand.Reset();
            case "freeze" -> new ControlCommand.Freeze();
            case "unfreeze" -> new ControlCommand.Unfreeze();
            case "snapshot" -> new ControlCommand.Snapshot();
            default -> setPolicy(policy, parameters);
        });
    }

    /** The set-policy command, after checking that the policy exists and accepts the parameters. */
    private static ControlCommand.SetPolicy setPolicy(String policy, Map<String, String> parameters) {
        try {
            Policies.create(policy, parameters);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("set-policy: " + e.getMessage(), e);
        }
        return new ControlCommand.SetPolicy(policy, parameters);
    }
}
