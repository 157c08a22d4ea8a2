package io.adastream.models.data;

import java.nio.file.Path;

/**
 * One labelled image on disk: its name (file name without extension), domain, image file and label file (for the
 * {@code yolo} layout possibly absent: an image without objects).
 */
public record LabelledImage(String name, String domain, Path image, Path label) {
}
