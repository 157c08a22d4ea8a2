package io.adastream.trainer.camvid;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.adastream.trainer.TrainingLoop;

import java.util.List;
import java.util.Random;

/**
 * Training batches of CamVid frames: the normalized inputs [N, 3, H, W] and one-hot targets [N, 11, H, W] in which
 * Unlabelled pixels are all zero (no loss). Each frame is mirrored left-right with probability 1/2 (seeded), the
 * same way in input and target; no photometric augmentation, so the day-to-dusk shift stays a real shift.
 */
public final class CamVidBatchEncoder implements TrainingLoop.BatchEncoder<CamVidFrame> {
    private final int width;
    private final int height;
    private final Random random;
    private boolean[] flips = new boolean[0];

    public CamVidBatchEncoder(int width, int height, long seed) {
        this.width = width;
        this.height = height;
        this.random = new Random(seed);
    }

    @Override
    public NDList data(NDManager manager, List<CamVidFrame> batch) {
        flips = new boolean[batch.size()];
        int plane = width * height;
        float[] x = new float[batch.size() * 3 * plane];
        for (int i = 0; i < batch.size(); i++) {
            flips[i] = random.nextBoolean();
            float[] in = batch.get(i).input();
            for (int c = 0; c < 3; c++) {
                int src = c * plane;
                int dst = (i * 3 + c) * plane;
                for (int y = 0; y < height; y++) {
                    for (int px = 0; px < width; px++) {
                        x[dst + y * width + px] = in[src + y * width + (flips[i] ? width - 1 - px : px)];
                    }
                }
            }
        }
        return new NDList(manager.create(x, new Shape(batch.size(), 3, height, width)));
    }

    @Override
    public NDList labels(NDManager manager, List<CamVidFrame> batch) {
        if (flips.length != batch.size()) {
            throw new IllegalStateException("labels() must follow data() for the same batch");
        }
        int classes = CamVidClasses.COUNT;
        int plane = width * height;
        float[] target = new float[batch.size() * classes * plane];
        for (int i = 0; i < batch.size(); i++) {
            byte[] mask = batch.get(i).labels();
            for (int y = 0; y < height; y++) {
                for (int px = 0; px < width; px++) {
                    int c = mask[y * width + (flips[i] ? width - 1 - px : px)];
                    if (c < classes) {
                        target[(i * classes + c) * plane + y * width + px] = 1f;
                    }
                }
            }
        }
        return new NDList(manager.create(target, new Shape(batch.size(), classes, height, width)));
    }

    /**
     * Loss weight per class from the label frequencies of the training frames: {@code sqrt(median / f_c)} (the square
     * root of median-frequency balancing), so rare thin classes such as Pole count more without dominating; classes
     * absent from the frames weigh 1.
     */
    public static float[] classWeights(CamVidSet frames) {
        long[] counts = new long[CamVidClasses.COUNT];
        for (CamVidFrame f : frames.frames()) {
            for (byte b : f.labels()) {
                if (b < CamVidClasses.COUNT) {
                    counts[b]++;
                }
            }
        }
        long[] present = java.util.Arrays.stream(counts).filter(c -> c > 0).sorted().toArray();
        float[] weights = new float[counts.length];
        java.util.Arrays.fill(weights, 1f);
        if (present.length == 0) {
            return weights;
        }
        double median = present.length % 2 == 1 ? present[present.length / 2]
                : (present[present.length / 2 - 1] + present[present.length / 2]) / 2.0;
        for (int c = 0; c < counts.length; c++) {
            if (counts[c] > 0) {
                weights[c] = (float) Math.sqrt(median / counts[c]);
            }
        }
        return weights;
    }
}
