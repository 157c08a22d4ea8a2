package io.adastream.trainer.camvid;

import io.adastream.trainer.TrainingLoop;

/**
 * How the CamVid source model is trained: input size, U-Net widths, which share of the frames is used and the
 * optimizer settings. {@link #DEFAULT} is sized for about 30 minutes on 2 quiet CPU cores (30 epochs of about a
 * minute; on a busy machine the loop plans fewer epochs once the first shows that they would overrun the 40-minute
 * limit); {@link #QUICK} is a smoke run of a minute or two on every 8th frame.
 *
 * @param width     input width (frames are 480x360: 160 is a 3x reduction)
 * @param height    input height, divisible by 2^(levels - 1)
 * @param widths    channels per U-Net level, full resolution first
 * @param frameStep train on every frameStep-th day frame and score on every frameStep-th held-out frame
 * @param settings  epochs, batch size, learning rate, seed, time limit
 */
public record CamVidPlan(int width, int height, int[] widths, int frameStep, TrainingLoop.Settings settings) {
    private static final long MINUTE = 60_000L;
    private static final int[] WIDTHS = {16, 32, 64, 128};

    public static final CamVidPlan DEFAULT = new CamVidPlan(160, 120, WIDTHS, 1,
            new TrainingLoop.Settings(30, 8, 3e-3f, 1L, 40 * MINUTE));

    public static final CamVidPlan QUICK = new CamVidPlan(160, 120, WIDTHS, 8,
            new TrainingLoop.Settings(2, 8, 3e-3f, 1L, 3 * MINUTE));

    /** This plan with another time limit (minutes) for training. */
    public CamVidPlan withMinutes(double minutes) {
        return new CamVidPlan(width, height, widths, frameStep, new TrainingLoop.Settings(settings.epochs(),
                settings.batchSize(), settings.learningRate(), settings.seed(), Math.round(minutes * MINUTE)));
    }

    /** This plan with another number of epochs. */
    public CamVidPlan withEpochs(int epochs) {
        return new CamVidPlan(width, height, widths, frameStep, new TrainingLoop.Settings(epochs,
                settings.batchSize(), settings.learningRate(), settings.seed(), settings.timeLimitMillis()));
    }
}
