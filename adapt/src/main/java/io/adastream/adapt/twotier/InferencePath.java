package io.adastream.adapt.twotier;

/** Which graph a frame runs through under the two-tier path. */
public enum InferencePath {
    /** The adaptive graph: the frame's moments are folded and fed to the shift detector. */
    ADAPTIVE,
    /** The domain's baked model: no moments, the prediction made with exactly the baked statistics at blend 0. */
    BAKED
}
