package io.adastream.models.io;

/** Size limits checked before decoding: encoded bytes, width, height and width x height. */
public record DecodeLimits(int maxBytes, int maxWidth, int maxHeight, long maxPixels) {
    /** 16 MiB, 4096 x 4096. */
    public static final DecodeLimits DEFAULT = new DecodeLimits(16 << 20, 4096, 4096, 4096L * 4096L);

    public DecodeLimits {
        if (maxBytes <= 0 || maxWidth <= 0 || maxHeight <= 0 || maxPixels <= 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }
}
