package io.adastream.trainer.eval;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import io.adastream.models.metrics.SegmentationConfusion;
import io.adastream.models.synth.Scene;
import io.adastream.trainer.data.SceneSet;

/** Measures a segmenter on held-out scenes: per-pixel argmax of the logits into a confusion matrix (mIoU). */
public final class SegmentationEvaluation {
    private SegmentationEvaluation() {
    }

    public static SegmentationConfusion measure(Block block, NDManager manager, SceneSet scenes, int classes,
                                                int batchSize) {
        SegmentationConfusion confusion = new SegmentationConfusion(classes);
        int plane = scenes.width() * scenes.height();
        for (int start = 0; start < scenes.size(); start += batchSize) {
            int end = Math.min(scenes.size(), start + batchSize);
            float[] logits = Inference.forward(block, manager, Batches.slice(scenes, start, end));
            for (int i = start; i < end; i++) {
                Scene scene = scenes.get(i);
                confusion.add(scene.classMask(), argmax(logits, (i - start) * classes * plane, classes, plane));
            }
        }
        return confusion;
    }

    /** The per-pixel argmax over {@code classes} planes of {@code plane} logits starting at {@code base}. */
    public static byte[] argmax(float[] logits, int base, int classes, int plane) {
        byte[] mask = new byte[plane];
        for (int p = 0; p < plane; p++) {
            float best = logits[base + p];
            int arg = 0;
            for (int c = 1; c < classes; c++) {
                float v = logits[base + c * plane + p];
                if (v > best) {
                    best = v;
                    arg = c;
                }
            }
            mask[p] = (byte) arg;
        }
        return mask;
    }
}
