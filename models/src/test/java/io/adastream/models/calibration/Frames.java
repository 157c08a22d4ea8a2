package io.adastream.models.calibration;

import io.adastream.adapt.calibrate.CalibrationFrames;

import java.util.ArrayList;
import java.util.List;

/** Materialises calibration frames as tensors, so several models can run on exactly the same inputs. */
final class Frames {

    private Frames() {
    }

    static List<float[]> tensors(CalibrationFrames frames) throws Exception {
        long n = 1;
        for (long d : frames.sampleShape()) {
            n *= d;
        }
        List<float[]> out = new ArrayList<>();
        for (int i = 0; i < frames.count(); i++) {
            float[] t = new float[Math.toIntExact(n)];
            frames.fill(i, t);
            out.add(t);
        }
        return out;
    }
}
