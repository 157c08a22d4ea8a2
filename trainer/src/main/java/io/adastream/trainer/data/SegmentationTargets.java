package io.adastream.trainer.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.adastream.models.synth.Scene;

import java.util.List;

/** Segmentation training targets: the class masks one-hot encoded as float [scenes, classes, H, W]. */
public final class SegmentationTargets {
    private SegmentationTargets() {
    }

    public static NDArray oneHot(NDManager manager, List<Scene> scenes, int classes) {
        Scene first = scenes.get(0);
        int plane = first.width() * first.height();
        float[] target = new float[scenes.size() * classes * plane];
        for (int i = 0; i < scenes.size(); i++) {
            byte[] mask = scenes.get(i).classMask();
            int base = i * classes * plane;
            for (int p = 0; p < plane; p++) {
                int c = mask[p];
                if (c < 0 || c >= classes) {
                    throw new IllegalArgumentException("mask class " + c + " outside 0.." + (classes - 1));
                }
                target[base + c * plane + p] = 1f;
            }
        }
        return manager.create(target, new Shape(scenes.size(), classes, first.height(), first.width()));
    }
}
