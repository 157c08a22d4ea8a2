package io.adastream.trainer;

/**
 * How much data and time each demo model gets. {@link #DEFAULT} is sized for a shared 2-core CPU (each model
 * trains in under 10 minutes; on a busy machine the loop plans fewer epochs, see {@link TrainingLoop}); {@link #QUICK} is a smoke run of seconds.
 *
 * @param trainScenes   clean scenes generated for training (seed {@link #TRAIN_SEED})
 * @param heldOutScenes clean scenes generated for the final accuracy (seed {@link #HELD_OUT_SEED})
 * @param monitorScenes the first held-out scenes, measured after every epoch
 */
public record TrainingPlan(int trainScenes, int heldOutScenes, int monitorScenes,
                           TrainingLoop.Settings segmenter, TrainingLoop.Settings detector) {
    /** Seed of the training scenes. */
    public static final long TRAIN_SEED = 20_240_401L;
    /** Seed of the held-out scenes (a different sequence from training). */
    public static final long HELD_OUT_SEED = 7_777_777L;
    /** Input width and height of both demo models. */
    public static final int INPUT_SIZE = 64;

    private static final long MINUTE = 60_000L;

    public static final TrainingPlan DEFAULT = new TrainingPlan(4000, 500, 200,
            new TrainingLoop.Settings(6, 32, 3e-3f, 1L, 10 * MINUTE),
            new TrainingLoop.Settings(14, 32, 3e-3f, 2L, 10 * MINUTE));

    public static final TrainingPlan QUICK = new TrainingPlan(128, 64, 32,
            new TrainingLoop.Settings(1, 32, 3e-3f, 1L, MINUTE),
            new TrainingLoop.Settings(1, 32, 3e-3f, 2L, MINUTE));
}
