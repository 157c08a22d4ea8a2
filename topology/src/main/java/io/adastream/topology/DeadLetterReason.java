package io.adastream.topology;

/**
 * Why a record went to the dead-letter topic; the {@code error} header carries {@link #code()}. Dead-lettered
 * records never touch any domain's statistics.
 */
public enum DeadLetterReason {
    MISSING_KEY("missing-key"),
    INVALID_DOMAIN_ID("invalid-domain-id"),
    EMPTY_VALUE("empty-value"),
    UNKNOWN_FORMAT("unknown-format"),
    TRUNCATED_IMAGE("truncated-image"),
    CORRUPT_IMAGE("corrupt-image"),
    IMAGE_TOO_LARGE("image-too-large"),
    UNSUPPORTED_CHANNELS("unsupported-channels"),
    BAD_TENSOR("bad-tensor"),
    NON_FINITE_INPUT("non-finite-input"),
    NON_FINITE_MOMENTS("non-finite-moments"),
    DOMAIN_CAP("domain-cap"),
    BAD_CONTROL_COMMAND("bad-control-command"),
    BAD_LABEL("bad-label"),
    /** A record whose processing threw: caught by {@link DeadLetterExceptionHandler}, not by the processors. */
    PROCESSING_ERROR("processing-error");

    private final String code;

    DeadLetterReason(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
