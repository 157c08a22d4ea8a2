package io.adastream.trainer.camvid;

/**
 * One CamVid frame at model resolution: the normalized network input and the class-id mask.
 *
 * @param name   file name without extension
 * @param input  normalized RGB, planar [3, height, width]
 * @param labels class id per pixel (row-major), {@link CamVidClasses#IGNORE_ID} for unlabelled pixels
 */
public record CamVidFrame(String name, float[] input, byte[] labels) {
}
