package io.adastream.topology.labels;

import io.adastream.models.task.TaskResult;

/**
 * A frame's prediction as the adapting processor hands it to the label joiner, within the sub-topology: the
 * decoded results themselves, so the joiner never parses back the JSON written for the predictions topic.
 *
 * @param sourceResult the prediction with the source statistics (shadow source run), or null
 */
public record PredictedFrame(String frameId, TaskResult result, TaskResult sourceResult) {
}
