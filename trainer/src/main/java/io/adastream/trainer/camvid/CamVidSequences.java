package io.adastream.trainer.camvid;

import java.util.List;

/**
 * The CamVid video sequences by file-name prefix (the part before the first underscore) and the domains they form:
 * the day sequences the source model trains on, another day drive held out, and the dusk sequence (the shift).
 */
public final class CamVidSequences {
    /** Day sequences of train/ and val/ that the source model is trained on. */
    public static final List<String> DAY_TRAINING = List.of("0006R0", "0016E5");
    /** The held-out day drive (all of test/'s day frames). */
    public static final String DAY_HELD_OUT = "Seq05VD";
    /** The dusk sequence (half in train/, half in test/); never trained on. */
    public static final String DUSK = "0001TP";

    private CamVidSequences() {
    }

    /** The sequence of a frame file name, e.g. {@code 0016E5} for {@code 0016E5_07959.jpg}. */
    public static String of(String fileName) {
        int cut = fileName.indexOf('_');
        if (cut <= 0) {
            throw new IllegalArgumentException("not a CamVid frame name (SEQUENCE_FRAME.ext): " + fileName);
        }
        return fileName.substring(0, cut);
    }
}
