package io.adastream.topology.labels;

import io.adastream.models.task.Box;
import io.adastream.models.task.Detection;
import io.adastream.models.task.TaskResult;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PredictedFrameSerdeTest {

    @Test
    void aSegmentationWithItsSourceResultComesBackPixelForPixel() {
        int w = 37;
        int h = 23;
        byte[] mask = blocks(w, h, 1);
        byte[] source = blocks(w, h, 2);
        PredictedFrame frame = new PredictedFrame("f-7", new TaskResult.Segmentation(w, h, mask),
                new TaskResult.Segmentation(w, h, source));

        byte[] bytes = PredictedFrameSerde.encode(frame);
        PredictedFrame back = PredictedFrameSerde.decode(bytes);

        assertEquals("f-7", back.frameId());
        TaskResult.Segmentation adapted = (TaskResult.Segmentation) back.result();
        assertEquals(w, adapted.width());
        assertEquals(h, adapted.height());
        assertArrayEquals(mask, adapted.mask());
        assertArrayEquals(source, ((TaskResult.Segmentation) back.sourceResult()).mask());
        // runs of 5-pixel blocks: 5 bytes per run instead of one per pixel
        assertTrue(bytes.length < 2 * w * h, bytes.length + " bytes");
    }

    @Test
    void detectionsComeBackExactlyAndAMissingSourceResultStaysMissing() {
        List<Detection> boxes = List.of(new Detection(1, 0.87654321f, new Box(1.25f, 2.5f, 30.125f, 40f)),
                new Detection(3, 0.1f, new Box(0f, 0f, 639.999f, 479.5f)));
        PredictedFrame back = PredictedFrameSerde.serde().deserializer().deserialize("t",
                PredictedFrameSerde.serde().serializer().serialize("t",
                        new PredictedFrame("x", new TaskResult.Detections(640, 480, boxes), null)));

        TaskResult.Detections d = (TaskResult.Detections) back.result();
        assertEquals(640, d.width());
        assertEquals(480, d.height());
        assertEquals(boxes, d.detections());
        assertNull(back.sourceResult());
    }

    @Test
    void truncatedOrTamperedBytesAreASerializationError() {
        byte[] bytes = PredictedFrameSerde.encode(new PredictedFrame("f", new TaskResult.Segmentation(4, 4, new byte[16]), null));
        assertThrows(SerializationException.class, () -> PredictedFrameSerde.decode(Arrays.copyOf(bytes, bytes.length - 3)));
        byte[] tampered = bytes.clone();
        tampered[tampered.length - 2] = 99; // the run now covers more than 16 pixels
        assertThrows(SerializationException.class, () -> PredictedFrameSerde.decode(tampered));
    }

    /** Classes 0..3 in 5x5 blocks, shuffled by the seed. */
    private static byte[] blocks(int w, int h, long seed) {
        Random r = new Random(seed);
        int bw = (w + 4) / 5;
        byte[] classOfBlock = new byte[bw * ((h + 4) / 5)];
        for (int i = 0; i < classOfBlock.length; i++) {
            classOfBlock[i] = (byte) r.nextInt(4);
        }
        byte[] mask = new byte[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                mask[y * w + x] = classOfBlock[(y / 5) * bw + x / 5];
            }
        }
        return mask;
    }
}
