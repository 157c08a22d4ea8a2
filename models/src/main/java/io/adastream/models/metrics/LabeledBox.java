package io.adastream.models.metrics;

import io.adastream.models.task.Box;

/** A ground-truth object for detection metrics: a class id and a box in image pixels. */
public record LabeledBox(int classId, Box box) {
}
