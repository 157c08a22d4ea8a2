package io.adastream.models.task;

/**
 * One detected object: its class id (1..K, the foreground ids of the model's class list; 0 is background and never
 * detected), its score in [0, 1] and its box in input-image pixels. AdaStream's own type rather than DJL's
 * {@code DetectedObject}, which has no integer class id and holds normalized coordinates (consumers of the
 * predictions topic convert with the client module's {@code DjlOutputs}).
 */
public record Detection(int classId, float score, Box box) {
}
