package io.adastream.models.task;

import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DetectionDecodingTest {
    private static final int K = 2;
    private static final int G = 4;

    @Test
    void decodesOneCellIntoABoxInInputPixels() {
        // 64x64 input, 4x4 grid -> stride 16. Cell (gy=1, gx=2): tx = ty = 0 -> centre (2.5 * 16, 1.5 * 16) =
        // (40, 24); tw = ln 2, th = 0 -> 32 x 16. Objectness logit 3 -> sigmoid 0.952574; class logits (0, ln 3)
        // -> softmax (0.25, 0.75): class id 2, score 0.952574 * 0.75 = 0.714431.
        float[] out = new float[2 * (5 + K) * G * G];
        int item = 1;
        fillBackground(out, item);
        set(out, item, 0, 1, 2, 3f);
        set(out, item, 3, 1, 2, (float) Math.log(2));
        set(out, item, 6, 1, 2, (float) Math.log(3));
        GridDetectionDecoder decoder = new GridDetectionDecoder(K, 64, 64, 0.3f, 0.5f, 100);
        // the frame was 128x128, letterboxed (scale 0.5, no padding) into 64x64
        LetterboxTransform t = LetterboxTransform.letterbox(128, 128, 64, 64);
        List<Detection> detections = decoder.decode(FloatBuffer.wrap(out), item, G, G, t);
        assertEquals(1, detections.size());
        Detection d = detections.get(0);
        assertEquals(2, d.classId());
        assertEquals(0.952574f * 0.75f, d.score(), 1e-5);
        assertEquals(new Box(48f, 32f, 112f, 64f), d.box());
    }

    @Test
    void perClassNmsKeepsTheBestOfOverlappingSameClassBoxes() {
        Detection a = new Detection(1, 0.9f, new Box(0, 0, 10, 10));
        Detection b = new Detection(1, 0.8f, new Box(1, 0, 11, 10));   // IoU 90/110 = 0.818 with a
        Detection c = new Detection(2, 0.7f, new Box(1, 0, 11, 10));   // other class: kept
        Detection d = new Detection(1, 0.6f, new Box(20, 20, 30, 30)); // disjoint: kept
        List<Detection> kept = NonMaxSuppression.perClass(List.of(d, b, c, a), 0.5f, 10);
        assertEquals(List.of(a, c, d), kept);
        assertEquals(List.of(a, c), NonMaxSuppression.perClass(List.of(d, b, c, a), 0.5f, 2));
        assertEquals(List.of(a, b, c, d), NonMaxSuppression.perClass(List.of(d, b, c, a), 0.85f, 10));
    }

    @Test
    void overlappingCellsAreSuppressed() {
        float[] out = new float[(5 + K) * G * G];
        fillBackground(out, 0);
        set(out, 0, 0, 1, 1, 4f);
        set(out, 0, 0, 1, 2, 2f);
        // both cells predict 48-pixel squares centred 16 px apart: IoU = 32*48 / (2*48*48 - 32*48) = 0.5
        for (int gx = 1; gx <= 2; gx++) {
            set(out, 0, 3, 1, gx, (float) Math.log(3));
            set(out, 0, 4, 1, gx, (float) Math.log(3));
        }
        GridDetectionDecoder strict = new GridDetectionDecoder(K, 64, 64, 0.3f, 0.45f, 100);
        GridDetectionDecoder lenient = new GridDetectionDecoder(K, 64, 64, 0.3f, 0.55f, 100);
        LetterboxTransform identity = LetterboxTransform.stretch(64, 64, 64, 64);
        assertEquals(1, strict.decode(FloatBuffer.wrap(out), 0, G, G, identity).size());
        assertEquals(2, lenient.decode(FloatBuffer.wrap(out), 0, G, G, identity).size());
    }

    @Test
    void boxIou() {
        assertEquals(25f / 175f, new Box(0, 0, 10, 10).iou(new Box(5, 5, 15, 15)), 1e-6);
        assertEquals(0f, new Box(0, 0, 1, 1).iou(new Box(1, 0, 2, 1)));
        assertTrue(new Box(0, 0, 4, 4).iou(new Box(0, 0, 4, 4)) == 1f);
    }

    /** Objectness -10 everywhere so only cells set by the test fire. */
    private static void fillBackground(float[] out, int item) {
        for (int cell = 0; cell < G * G; cell++) {
            out[item * (5 + K) * G * G + cell] = -10f;
        }
    }

    private static void set(float[] out, int item, int channel, int gy, int gx, float v) {
        out[item * (5 + K) * G * G + channel * G * G + gy * G + gx] = v;
    }
}
