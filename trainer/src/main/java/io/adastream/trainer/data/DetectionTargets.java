package io.adastream.trainer.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.adastream.models.synth.Scene;
import io.adastream.models.synth.SceneObject;

import java.util.List;

/**
 * Detection training targets in the detector's own output layout [scenes, 5 + K, G, G]: each ground-truth box is
 * assigned to the grid cell that contains its centre (the larger box wins when two centres share a cell). For an
 * assigned cell: channel 0 = 1, channels 1-2 = the centre's offset in the cell in [0, 1) (the target of
 * sigmoid(tx), sigmoid(ty)), channels 3-4 = log(w / stride), log(h / stride) (the target of tw, th), channels
 * 5.. = the class one-hot. Every channel of an unassigned cell is 0.
 */
public final class DetectionTargets {
    private DetectionTargets() {
    }

    public static NDArray encode(NDManager manager, List<Scene> scenes, int classes, int stride) {
        Scene first = scenes.get(0);
        int gw = first.width() / stride;
        int gh = first.height() / stride;
        int cells = gw * gh;
        int channels = 5 + classes;
        float[] target = new float[scenes.size() * channels * cells];
        for (int i = 0; i < scenes.size(); i++) {
            encodeScene(scenes.get(i).objects(), gw, gh, stride, channels, target, i * channels * cells);
        }
        return manager.create(target, new Shape(scenes.size(), channels, gh, gw));
    }

    static void encodeScene(List<SceneObject> objects, int gw, int gh, int stride, int channels,
                            float[] target, int base) {
        int cells = gw * gh;
        float[] assignedArea = new float[cells];
        for (SceneObject o : objects) {
            float cx = (o.x0() + o.x1()) / 2;
            float cy = (o.y0() + o.y1()) / 2;
            int gx = Math.min(gw - 1, Math.max(0, (int) Math.floor(cx / stride)));
            int gy = Math.min(gh - 1, Math.max(0, (int) Math.floor(cy / stride)));
            int cell = gy * gw + gx;
            float area = o.width() * o.height();
            if (area <= assignedArea[cell]) {
                continue;
            }
            assignedArea[cell] = area;
            for (int c = 0; c < channels; c++) {
                target[base + c * cells + cell] = 0f;
            }
            target[base + cell] = 1f;
            target[base + cells + cell] = clamp01(cx / stride - gx);
            target[base + 2 * cells + cell] = clamp01(cy / stride - gy);
            target[base + 3 * cells + cell] = (float) Math.log(o.width() / stride);
            target[base + 4 * cells + cell] = (float) Math.log(o.height() / stride);
            target[base + (4 + o.classId()) * cells + cell] = 1f;
        }
    }

    private static float clamp01(float v) {
        return Math.min(0.999f, Math.max(0.001f, v));
    }
}
