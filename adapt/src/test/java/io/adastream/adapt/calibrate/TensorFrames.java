package io.adastream.adapt.calibrate;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Seeded Gaussian frames whose mean and spread vary from frame to frame, as calibration frames for tests. */
final class TensorFrames implements CalibrationFrames {

    private final List<float[]> frames;
    private final long[] sampleShape;

    TensorFrames(List<float[]> frames, long[] sampleShape) {
        this.frames = frames;
        this.sampleShape = sampleShape;
    }

    /** {@code count} frames of {@code m_f + s_f·N(0,1)}, m_f ~ N(mean, 0.3), s_f ~ U(0.7, 1.3)·spread. */
    static TensorFrames gaussian(int count, long[] sampleShape, double mean, double spread, long seed) {
        int n = 1;
        for (long d : sampleShape) {
            n *= (int) d;
        }
        Random r = new Random(seed);
        List<float[]> frames = new ArrayList<>();
        for (int f = 0; f < count; f++) {
            double m = mean + 0.3 * r.nextGaussian();
            double s = spread * (0.7 + 0.6 * r.nextDouble());
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = (float) (m + s * r.nextGaussian());
            }
            frames.add(v);
        }
        return new TensorFrames(frames, sampleShape);
    }

    List<float[]> tensors() {
        return frames;
    }

    @Override
    public int count() {
        return frames.size();
    }

    @Override
    public long[] sampleShape() {
        return sampleShape.clone();
    }

    @Override
    public String describe(int index) {
        return "#" + index;
    }

    @Override
    public void fill(int index, float[] dst) {
        System.arraycopy(frames.get(index), 0, dst, 0, dst.length);
    }
}
