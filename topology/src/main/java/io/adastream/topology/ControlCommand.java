package io.adastream.topology;

import io.adastream.adapt.stats.policy.AdaptationPolicy;
import io.adastream.adapt.stats.policy.Policies;

import java.util.Map;

/**
 * A control command for one domain, parsed once from its record ({@link ControlCommands#parse}); the adapting
 * processor applies it by its type, never by its name.
 */
public sealed interface ControlCommand permits ControlCommand.Reset, ControlCommand.Freeze, ControlCommand.Unfreeze,
        ControlCommand.SetPolicy, ControlCommand.Snapshot {

    /** The command's name in control records ({@code reset}, {@code freeze}, ...), for logs and dead letters. */
    String name();

    /** Back to the source statistics and a fresh policy state. */
    record Reset() implements ControlCommand {
        public String name() {
            return "reset";
        }
    }

    /** Stops adapting: frames are still predicted with the domain's current statistics. */
    record Freeze() implements ControlCommand {
        public String name() {
            return "freeze";
        }
    }

    /** Adapts again after a freeze. */
    record Unfreeze() implements ControlCommand {
        public String name() {
            return "unfreeze";
        }
    }

    /** Switches the domain to another policy; name and parameters were checked by {@link Policies} at parsing. */
    record SetPolicy(String policy, Map<String, String> parameters) implements ControlCommand {
        public SetPolicy {
            parameters = Map.copyOf(parameters);
        }

        public String name() {
            return "set-policy";
        }

        /** A fresh instance of the policy (policies hold per-domain state, so each application gets its own). */
        public AdaptationPolicy newPolicy() {
            return Policies.create(policy, parameters);
        }
    }

    /** Publishes the domain's snapshot now. */
    record Snapshot() implements ControlCommand {
        public String name() {
            return "snapshot";
        }
    }
}
