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
    /** A frame whose model outputs the task's decoder refused (e.g. a class id out of range); the detail is its message. */
    UNDECODABLE_OUTPUT("undecodable-output"),
    DOMAIN_CAP("domain-cap"),
    BAD_CONTROL_COMMAND("bad-control-command"),
    BAD_LABEL("bad-label"),
    /** A record whose processing threw: caught by {@link DeadLetterExceptionHandler}, not by the processors. */
    PROCESSING_ERROR("processing-error"),
    /** An output record (prediction, snapshot or dead letter) larger than its topic accepts; the letter carries no value. */
    OUTPUT_TOO_LARGE("output-too-large"),
    /** An output record whose key or value could not be serialized. */
    OUTPUT_UNSERIALIZABLE("output-unserializable"),
    /** An output record the broker refused for itself (e.g. an invalid record or timestamp); the letter carries no value. */
    OUTPUT_REJECTED("output-rejected");

    private final String code;

    DeadLetterReason(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
