package io.adastream.adapt.calibrate;

/**
 * One Conv or ConvTranspose node of a model's main graph and what calibration does with it.
 *
 * @param nodeIndex position of the node in the graph's node list
 * @param name      the node name, or its output tensor when the node is unnamed
 * @param output    the convolution's output tensor
 * @param role      why the convolution gets a BatchNormalization layer or is left alone
 */
public record ConvSite(int nodeIndex, String name, String opType, String output, Role role) {

    /** What calibration does with a convolution. */
    public enum Role {
        /** Gets a calibrated BatchNormalization layer (unless its output has a single spatial position). */
        CANDIDATE("gets a layer"),
        /** Its output already goes into a BatchNormalization node. */
        NORMALIZED("already followed by BatchNormalization"),
        /** Its output reaches a model output without passing another convolution. */
        HEAD("head (reaches a model output without another convolution)"),
        /** Its output has one spatial position, where a frame's own moments carry no statistics. */
        SINGLE_POSITION("single spatial position");

        private final String description;

        Role(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    ConvSite withRole(Role newRole) {
        return new ConvSite(nodeIndex, name, opType, output, newRole);
    }
}
