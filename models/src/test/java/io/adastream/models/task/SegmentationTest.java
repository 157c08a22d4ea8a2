package io.adastream.models.task;

import io.adastream.models.synth.Scene;
import io.adastream.models.synth.SceneGenerator;
import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SegmentationTest {

    @Test
    void argmaxPicksTheLargestLogitPerPixel() {
        // 3 classes, 1x2 pixels, [C, H, W] after an offset of 1
        FloatBuffer logits = FloatBuffer.wrap(new float[]{42f, 0f, 5f, 1f, 2f, 3f, 7f});
        byte[] mask = new byte[2];
        SegmentationDecoder.argmax(logits, 1, 3, 1, 2, mask);
        // pixel 0: logits 0, 1, 3 -> class 2; pixel 1: 5, 2, 7 -> class 2
        assertArrayEquals(new byte[]{2, 2}, mask);
        // pixel 0: 0, 1, 3 -> class 2; pixel 1: 9, 2, 7 -> class 0
        FloatBuffer second = FloatBuffer.wrap(new float[]{0f, 9f, 1f, 2f, 3f, 7f});
        SegmentationDecoder.argmax(second, 0, 3, 1, 2, mask);
        assertArrayEquals(new byte[]{2, 0}, mask);
    }

    @Test
    void rleOfAHandMadeMaskFollowsCocoConventions() {
        // 3 rows x 2 columns, row-major:
        //   1 0
        //   1 1
        //   0 1
        // column-major order: col 0 = 1,1,0; col 1 = 0,1,1 -> 1 1 0 0 1 1
        // counts start with the (empty) run of zeros: [0, 2, 2, 2]
        byte[] mask = {1, 0, 1, 1, 0, 1};
        Rle rle = RunLengthEncoding.encode(mask, 2, 3, 1);
        assertArrayEquals(new int[]{0, 2, 2, 2}, rle.counts());
        assertEquals(4, rle.area());
        // background: 0 0 1 1 0 0 -> [2, 2, 2]
        assertArrayEquals(new int[]{2, 2, 2}, RunLengthEncoding.encode(mask, 2, 3, 0).counts());
        // absent class: all zeros -> one run
        assertArrayEquals(new int[]{6}, RunLengthEncoding.encode(mask, 2, 3, 4).counts());
        assertArrayEquals(mask, RunLengthEncoding.decode(rle));
    }

    @Test
    void rleRoundTripsEveryClassOfSyntheticMasks() {
        SceneGenerator generator = new SceneGenerator(21, 48, 40);
        for (int f = 0; f < 20; f++) {
            Scene scene = generator.next();
            Map<Integer, Rle> all = RunLengthEncoding.encodeAll(scene.classMask(), 48, 40);
            byte[] rebuilt = new byte[48 * 40];
            long area = 0;
            for (Map.Entry<Integer, Rle> e : all.entrySet()) {
                byte[] binary = RunLengthEncoding.decode(e.getValue());
                area += e.getValue().area();
                for (int i = 0; i < binary.length; i++) {
                    if (binary[i] == 1) {
                        assertEquals(0, rebuilt[i], "pixel in two classes");
                        rebuilt[i] = (byte) (int) e.getKey();
                    }
                }
            }
            assertEquals(48 * 40, area);
            assertArrayEquals(scene.classMask(), rebuilt);
        }
    }

    @Test
    void decodeRejectsRunsThatDoNotCoverTheImage() {
        assertThrows(IllegalArgumentException.class, () -> RunLengthEncoding.decode(new Rle(2, 2, new int[]{1, 2})));
        assertThrows(IllegalArgumentException.class, () -> RunLengthEncoding.decode(new Rle(2, 2, new int[]{3, 2})));
    }
}
