package io.adastream.models.data;

import io.adastream.models.eval.AccuracyMeter;
import io.adastream.models.eval.EvalFrame;
import io.adastream.models.eval.FrameOrder;
import io.adastream.models.metrics.LabeledBox;
import io.adastream.models.spec.ModelSpec;
import io.adastream.models.task.Box;
import io.adastream.models.task.Detection;
import io.adastream.models.task.TaskResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hand-made labelled folders: listing, domains and order; masks with an ignore id and YOLO boxes read at the model's
 * input size; mIoU and mAP@0.5 of hand predictions against answers computed by hand.
 */
class LabelledFoldersTest {

    @TempDir
    Path dir;

    static ModelSpec segmenter(int width, int height) throws Exception {
        return ModelSpec.parse(new ByteArrayInputStream(("{\"name\": \"s\", \"task\": \"segmentation\", \"model\": \"s.onnx\","
                + " \"input\": {\"name\": \"x\", \"width\": " + width + ", \"height\": " + height + ", \"normalize\": \"unit\"},"
                + " \"classes\": [\"a\", \"b\"], \"output\": {\"name\": \"y\"}}").getBytes(StandardCharsets.UTF_8)), "s.json");
    }

    static ModelSpec detector(int width, int height) throws Exception {
        return ModelSpec.parse(new ByteArrayInputStream(("{\"name\": \"d\", \"task\": \"detection\", \"model\": \"d.onnx\","
                + " \"input\": {\"name\": \"x\", \"width\": " + width + ", \"height\": " + height + ", \"normalize\": \"unit\"},"
                + " \"classes\": [\"background\", \"p\", \"q\"], \"output\": {\"name\": \"y\"}}").getBytes(StandardCharsets.UTF_8)),
                "d.json");
    }

    private void image(Path file, int w, int h) throws Exception {
        Files.createDirectories(file.getParent());
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, (x * 20) << 16 | (y * 30) << 8 | 7);
            }
        }
        ImageIO.write(img, "png", file.toFile());
    }

    private void mask(Path file, int w, int h, int... values) throws Exception {
        Files.createDirectories(file.getParent());
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setSamples(0, 0, w, h, 0, values);
        ImageIO.write(img, "png", file.toFile());
    }

    @Test
    void camvidFoldersGiveDomainsByPrefixInFileNameOrderAcrossSplits() throws Exception {
        int[] zeros = new int[8];
        for (String[] f : new String[][]{{"train", "B_2"}, {"test", "B_3"}, {"train", "A_9"}, {"test", "B_1"}, {"test", "A_1"}}) {
            image(dir.resolve(f[0]).resolve(f[1] + ".png"), 4, 2);
            mask(dir.resolve(f[0] + "annot").resolve(f[1] + ".png"), 4, 2, zeros);
        }
        Map<String, List<LabelledImage>> byPrefix = LabelledFolder.list(dir, null, LabelLayout.CAMVID, DomainRule.PREFIX);
        assertEquals(List.of("A", "B"), List.copyOf(byPrefix.keySet()));
        assertEquals(List.of("A_1", "A_9"), byPrefix.get("A").stream().map(LabelledImage::name).toList());
        assertEquals(List.of("B_1", "B_2", "B_3"), byPrefix.get("B").stream().map(LabelledImage::name).toList());
        assertEquals(dir.resolve("testannot/B_3.png"), byPrefix.get("B").get(2).label());
        Map<String, List<LabelledImage>> byFolder = LabelledFolder.list(dir, null, LabelLayout.CAMVID, DomainRule.FOLDER);
        assertEquals(List.of("test", "train"), List.copyOf(byFolder.keySet()));
        assertEquals(3, byFolder.get("test").size());

        image(dir.resolve("test/C_1.png"), 4, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LabelledFolder.list(dir, null, LabelLayout.CAMVID, DomainRule.PREFIX));
        assertTrue(e.getMessage().contains("C_1") && e.getMessage().contains("no mask"), e.getMessage());
    }

    @Test
    void maskWithIgnoreIdScoresByHand() throws Exception {
        // ground truth 4x2, 11 = ignore:   0 0 1 1 / 11 1 0 1
        mask(dir.resolve("labsannot/f_1.png"), 4, 2, 0, 0, 1, 1, 11, 1, 0, 1);
        image(dir.resolve("labs/f_1.png"), 4, 2);
        LabelledImage img = LabelledFolder.list(dir, null, LabelLayout.CAMVID, DomainRule.PREFIX).get("f").get(0);
        EvalFrame frame = new LabelledFrameReader(segmenter(4, 2), 11).read(img);
        assertArrayEquals(new byte[]{0, 0, 1, 1, (byte) 255, 1, 0, 1}, frame.classMask());
        // the pixels are the image's (same size: no resampling)
        assertEquals((3 * 20) << 16 | 30 << 8 | 7, frame.packedRgb()[7]);
        // prediction:                   0 1 1 1 / 0 1 0 0
        // class 0: truth {0,1,6}, prediction {0,6,7} (pixel 4 not scored): IoU 2/4; class 1: truth {2,3,5,7},
        // prediction {1,2,3,5}: IoU 3/5; mIoU 0.55
        AccuracyMeter meter = AccuracyMeter.forSpec(segmenter(4, 2));
        meter.add(frame, new TaskResult.Segmentation(4, 2, new byte[]{0, 1, 1, 1, 0, 1, 0, 0}));
        assertEquals(0.55, meter.value(), 1e-12);
        assertArrayEquals(new double[]{0.5, 0.6}, meter.perClass(), 1e-12);

        mask(dir.resolve("labsannot/f_1.png"), 4, 2, 0, 0, 1, 7, 11, 1, 0, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LabelledFrameReader(segmenter(4, 2), 11).read(img));
        assertTrue(e.getMessage().contains("value 7 at (3, 0)"), e.getMessage());
    }

    @Test
    void masksAreReducedByMajorityVoteAndTheIgnoreIdIsNotScoredWhereItWins() throws Exception {
        // 4x2 -> 2x1: each target pixel covers a 2x2 block
        mask(dir.resolve("labsannot/f_1.png"), 4, 2, 1, 1, 0, 11, 1, 0, 11, 11);
        image(dir.resolve("labs/f_1.png"), 4, 2);
        LabelledImage img = LabelledFolder.list(dir, null, LabelLayout.CAMVID, DomainRule.PREFIX).get("f").get(0);
        assertArrayEquals(new byte[]{1, (byte) 255}, new LabelledFrameReader(segmenter(2, 1), 11).read(img).classMask());
    }

    @Test
    void yoloBoxesMapToModelPixelsAndScoreByHand() throws Exception {
        Path images = dir.resolve("images/val");
        image(images.resolve("a.png"), 100, 50);
        image(images.resolve("b.png"), 100, 50);
        Path labels = dir.resolve("labels/val");
        Files.createDirectories(labels);
        Files.writeString(labels.resolve("a.txt"), "0 0.5 0.5 0.2 0.4\n1 0.25 0.25 0.1 0.2\n");
        Map<String, List<LabelledImage>> found = LabelledFolder.list(images, null, LabelLayout.YOLO, DomainRule.FOLDER);
        assertEquals(List.of("val"), List.copyOf(found.keySet()));
        List<LabelledImage> list = found.get("val");
        assertEquals(labels.resolve("a.txt"), list.get(0).label());
        assertNull(list.get(1).label());
        LabelledFrameReader reader = new LabelledFrameReader(detector(50, 50), 255);
        EvalFrame a = reader.read(list.get(0));
        // 100x50 stretched to 50x50: x halves, y stays; class 0 -> id 1
        assertEquals(List.of(new LabeledBox(1, new Box(20f, 15f, 30f, 35f)), new LabeledBox(2, new Box(10f, 7.5f, 15f, 17.5f))),
                a.boxes());
        assertEquals(List.of(), reader.read(list.get(1)).boxes());
        // class 1 found (IoU 1), class 2 predicted elsewhere: AP 1 and 0, mAP@0.5 = 0.5
        AccuracyMeter meter = AccuracyMeter.forSpec(detector(50, 50));
        meter.add(a, new TaskResult.Detections(50, 50, List.of(new Detection(1, 0.9f, new Box(20f, 15f, 30f, 35f)),
                new Detection(2, 0.8f, new Box(35f, 35f, 45f, 45f)))));
        assertEquals(0.5, meter.value(), 1e-12);
        assertArrayEquals(new double[]{1.0, 0.0}, meter.perClass(), 1e-12);

        Files.writeString(labels.resolve("a.txt"), "2 0.5 0.5 0.2 0.4\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> reader.read(list.get(0)));
        assertTrue(e.getMessage().contains("line 1: class 2 outside 0..1"), e.getMessage());
    }

    @Test
    void dominantClassOrderGroupsFramesByTheirLargestClass() {
        byte[][] masks = {{2, 2, 0}, {0, 0, 1}, {2, 1, 2}, {1, 1, (byte) 255}, {(byte) 255, (byte) 255, (byte) 255}};
        List<EvalFrame> frames = new java.util.ArrayList<>();
        for (byte[] m : masks) {
            frames.add(new EvalFrame(3, 1, new int[3], m, List.of()));
        }
        List<EvalFrame> ordered = FrameOrder.DOMINANT_CLASS.apply(frames);
        assertEquals(List.of(4, 1, 3, 0, 2), ordered.stream().map(frames::indexOf).toList());
        assertEquals(frames, FrameOrder.TEMPORAL.apply(frames));
        assertEquals(FrameOrder.DOMINANT_CLASS, FrameOrder.parse("dominant_class"));
    }
}
