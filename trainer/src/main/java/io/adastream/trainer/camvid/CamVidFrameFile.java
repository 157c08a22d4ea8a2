package io.adastream.trainer.camvid;

import java.nio.file.Path;

/**
 * One labelled CamVid frame on disk: the image ({@code split/NAME.jpg} or {@code .png}) and its label PNG
 * ({@code splitannot/NAME.png}).
 *
 * @param name the file name without extension, e.g. {@code 0016E5_07959}
 */
public record CamVidFrameFile(String name, Path image, Path label) {
    /** The video sequence (file-name prefix). */
    public String sequence() {
        return CamVidSequences.of(name);
    }
}
