package io.adastream.metrics;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The admin token that admin writes (and, unless opened, reads of domain data) need, as {@code Authorization:
 * Bearer <token>}. Compared in constant time over
 * SHA-256 digests, so neither the content nor the length of the token leaks through timing.
 */
public final class BearerToken {

    private final byte[] digest;

    private BearerToken(byte[] digest) {
        this.digest = digest;
    }

    /** The configured token; null or blank means admin writes are disabled and reads need none. */
    public static BearerToken of(String token) {
        return token == null || token.isBlank() ? new BearerToken(null) : new BearerToken(sha256(token.trim()));
    }

    public boolean configured() {
        return digest != null;
    }

    /** True when the header carries the configured token; always false when none is configured. */
    public boolean accepts(String authorizationHeader) {
        if (digest == null || authorizationHeader == null) {
            return false;
        }
        String h = authorizationHeader.trim();
        if (h.length() < 7 || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(digest, sha256(h.substring(7).trim()));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
