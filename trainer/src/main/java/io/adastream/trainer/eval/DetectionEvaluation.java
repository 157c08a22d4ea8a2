package io.adastream.trainer.eval;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import io.adastream.models.metrics.DetectionAveragePrecision;
import io.adastream.models.metrics.LabeledBox;
import io.adastream.models.synth.SceneObject;
import io.adastream.models.task.Box;
import io.adastream.models.task.Detection;
import io.adastream.models.task.GridDetectionDecoder;
import io.adastream.models.task.LetterboxTransform;
import io.adastream.trainer.data.SceneSet;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Measures a grid detector on held-out scenes with the service's own decoder (score threshold
 * {@value #SCORE_THRESHOLD}, per-class NMS at IoU {@value #NMS_IOU}) and COCO-style average precision.
 */
public final class DetectionEvaluation {
    static final float SCORE_THRESHOLD = 0.05f;
    static final float NMS_IOU = 0.5f;
    static final int MAX_DETECTIONS = 100;

    private DetectionEvaluation() {
    }

    public static DetectionAveragePrecision measure(Block block, NDManager manager, SceneSet scenes, int classes,
                                                    int stride, int batchSize) {
        int w = scenes.width();
        int h = scenes.height();
        int gw = w / stride;
        int gh = h / stride;
        GridDetectionDecoder decoder = new GridDetectionDecoder(classes, w, h, SCORE_THRESHOLD, NMS_IOU,
                MAX_DETECTIONS);
        LetterboxTransform identity = LetterboxTransform.stretch(w, h, w, h);
        DetectionAveragePrecision ap = new DetectionAveragePrecision(classes);
        for (int start = 0; start < scenes.size(); start += batchSize) {
            int end = Math.min(scenes.size(), start + batchSize);
            FloatBuffer out = FloatBuffer.wrap(Inference.forward(block, manager, Batches.slice(scenes, start, end)));
            for (int i = start; i < end; i++) {
                List<Detection> detections = decoder.decode(out, i - start, gh, gw, identity);
                ap.addFrame(truth(scenes.get(i).objects()), detections);
            }
        }
        return ap;
    }

    /** The scene objects as ground-truth boxes for {@link DetectionAveragePrecision}. */
    public static List<LabeledBox> truth(List<SceneObject> objects) {
        List<LabeledBox> boxes = new ArrayList<>(objects.size());
        for (SceneObject o : objects) {
            boxes.add(new LabeledBox(o.classId(), new Box(o.x0(), o.y0(), o.x1(), o.y1())));
        }
        return boxes;
    }
}
