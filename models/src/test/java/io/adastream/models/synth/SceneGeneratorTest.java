package io.adastream.models.synth;

import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SceneGeneratorTest {

    @Test
    void sameSeedGivesTheSameSequenceAndOtherSeedsDiffer() {
        SceneGenerator a = new SceneGenerator(42, 64, 48);
        SceneGenerator b = new SceneGenerator(42, 64, 48);
        SceneGenerator c = new SceneGenerator(43, 64, 48);
        int differentFrames = 0;
        for (int i = 0; i < 25; i++) {
            Scene sa = a.next();
            Scene sb = b.next();
            Scene sc = c.next();
            assertArrayEquals(sa.rgb(), sb.rgb());
            assertArrayEquals(sa.classMask(), sb.classMask());
            assertEquals(sa.objects(), sb.objects());
            if (!Arrays.equals(sa.rgb(), sc.rgb())) {
                differentFrames++;
            }
        }
        assertEquals(25, differentFrames);
    }

    @Test
    void successiveFramesDiffer() {
        SceneGenerator generator = new SceneGenerator(7, 64, 64);
        Scene first = generator.next();
        Scene second = generator.next();
        assertFalse(Arrays.equals(first.rgb(), second.rgb()));
    }

    @Test
    void pixelsAreInRangeAndMaskHoldsKnownClasses() {
        SceneGenerator generator = new SceneGenerator(1, 64, 64);
        for (int i = 0; i < 50; i++) {
            Scene scene = generator.next();
            assertEquals(64 * 64 * 3, scene.rgb().length);
            for (float v : scene.rgb()) {
                assertTrue(v >= 0f && v <= 1f, "pixel value " + v);
            }
            for (byte m : scene.classMask()) {
                assertTrue(m >= 0 && m <= SceneClasses.FOREGROUND_COUNT, "mask value " + m);
            }
        }
    }

    @Test
    void boxesAreTheVisibleExtentOfMaskPixelsOfTheirClass() {
        SceneGenerator generator = new SceneGenerator(3, 64, 64);
        int boxes = 0;
        for (int i = 0; i < 200; i++) {
            Scene scene = generator.next();
            for (SceneObject o : scene.objects()) {
                boxes++;
                int x0 = (int) o.x0();
                int y0 = (int) o.y0();
                int x1 = (int) o.x1() - 1;
                int y1 = (int) o.y1() - 1;
                assertTrue(x0 >= 0 && y0 >= 0 && x1 < 64 && y1 < 64, o.toString());
                assertTrue(rowHasClass(scene, y0, x0, x1, o.classId()), "top edge " + o);
                assertTrue(rowHasClass(scene, y1, x0, x1, o.classId()), "bottom edge " + o);
                assertTrue(columnHasClass(scene, x0, y0, y1, o.classId()), "left edge " + o);
                assertTrue(columnHasClass(scene, x1, y0, y1, o.classId()), "right edge " + o);
                assertTrue(countInBox(scene, o) >= SceneGenerator.MIN_VISIBLE_PIXELS, o.toString());
            }
        }
        assertTrue(boxes > 300, "boxes " + boxes);
    }

    @Test
    void everyClassAppearsOccludedObjectsAreDroppedAndBoxesOverlap() {
        SceneGenerator generator = new SceneGenerator(5, 64, 64);
        int[] perClass = new int[SceneClasses.FOREGROUND_COUNT + 1];
        int overlapping = 0;
        for (int i = 0; i < 300; i++) {
            List<SceneObject> objects = generator.next().objects();
            for (int a = 0; a < objects.size(); a++) {
                perClass[objects.get(a).classId()]++;
                for (int b = a + 1; b < objects.size(); b++) {
                    if (intersects(objects.get(a), objects.get(b))) {
                        overlapping++;
                    }
                }
            }
        }
        for (int k = 1; k <= SceneClasses.FOREGROUND_COUNT; k++) {
            assertTrue(perClass[k] > 100, "class " + k + " seen " + perClass[k]);
        }
        assertTrue(overlapping > 100, "overlapping pairs " + overlapping);
        assertTrue(generator.droppedObjects() > 0, "no object was occluded away");
    }

    @Test
    void colourDoesNotDetermineTheClass() {
        SceneGenerator generator = new SceneGenerator(9, 64, 64);
        List<Float> discRedMeans = new ArrayList<>();
        for (int i = 0; i < 300 && discRedMeans.size() < 60; i++) {
            Scene scene = generator.next();
            double sum = 0;
            int n = 0;
            for (int p = 0; p < scene.classMask().length; p++) {
                if (scene.classMask()[p] == SceneClasses.DISC) {
                    sum += scene.rgb()[p * 3];
                    n++;
                }
            }
            if (n > 20) {
                discRedMeans.add((float) (sum / n));
            }
        }
        float min = discRedMeans.stream().min(Float::compare).orElseThrow();
        float max = discRedMeans.stream().max(Float::compare).orElseThrow();
        assertTrue(max - min > 0.5f, "disc red channel spans only " + min + ".." + max);
    }

    @Test
    void backgroundIsTextured() {
        SceneGenerator generator = new SceneGenerator(11, 64, 64);
        int textured = 0;
        for (int i = 0; i < 40; i++) {
            Scene scene = generator.next();
            double sum = 0;
            double sumSq = 0;
            int n = 0;
            for (int p = 0; p < scene.classMask().length; p++) {
                if (scene.classMask()[p] == 0) {
                    float g = scene.rgb()[p * 3 + 1];
                    sum += g;
                    sumSq += g * g;
                    n++;
                }
            }
            double mean = sum / n;
            double std = Math.sqrt(Math.max(0, sumSq / n - mean * mean));
            if (std > 0.03) {
                textured++;
            }
        }
        assertTrue(textured >= 36, "textured backgrounds " + textured + "/40");
    }

    @Test
    void toImageRoundsPixelsToBytes() {
        Scene scene = new SceneGenerator(2, 32, 16).next();
        BufferedImage image = scene.toImage();
        assertEquals(32, image.getWidth());
        assertEquals(16, image.getHeight());
        int x = 5;
        int y = 9;
        int i = (y * 32 + x) * 3;
        int argb = image.getRGB(x, y);
        assertEquals(Math.round(scene.rgb()[i] * 255), (argb >> 16) & 0xFF);
        assertEquals(Math.round(scene.rgb()[i + 1] * 255), (argb >> 8) & 0xFF);
        assertEquals(Math.round(scene.rgb()[i + 2] * 255), argb & 0xFF);
    }

    @Test
    void twoThousandSmallFramesCarrySeveralObjectsEach() {
        // speed is reported, not asserted: timing belongs to benchmarks on this shared machine
        SceneGenerator generator = new SceneGenerator(13, 64, 64);
        long start = System.nanoTime();
        long objects = 0;
        for (int i = 0; i < 2000; i++) {
            objects += generator.next().objects().size();
        }
        System.out.printf("SceneGenerator: 2000 frames of 64x64 in %.2f s%n", (System.nanoTime() - start) / 1e9);
        assertTrue(objects > 2000, "objects " + objects);
    }

    @Test
    void rejectsTinyFramesAndBadObjects() {
        assertThrows(IllegalArgumentException.class, () -> new SceneGenerator(1, 8, 64));
        assertThrows(IllegalArgumentException.class, () -> new SceneObject(0, 0, 0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new SceneObject(1, 2, 0, 2, 1));
        assertThrows(IllegalArgumentException.class,
                () -> new Scene(2, 2, new float[11], new byte[4], List.of()));
    }

    private static boolean rowHasClass(Scene s, int y, int x0, int x1, int classId) {
        for (int x = x0; x <= x1; x++) {
            if (s.classMask()[y * s.width() + x] == classId) {
                return true;
            }
        }
        return false;
    }

    private static boolean columnHasClass(Scene s, int x, int y0, int y1, int classId) {
        for (int y = y0; y <= y1; y++) {
            if (s.classMask()[y * s.width() + x] == classId) {
                return true;
            }
        }
        return false;
    }

    private static int countInBox(Scene s, SceneObject o) {
        int n = 0;
        for (int y = (int) o.y0(); y < (int) o.y1(); y++) {
            for (int x = (int) o.x0(); x < (int) o.x1(); x++) {
                if (s.classMask()[y * s.width() + x] == o.classId()) {
                    n++;
                }
            }
        }
        return n;
    }

    private static boolean intersects(SceneObject a, SceneObject b) {
        return a.x0() < b.x1() && b.x0() < a.x1() && a.y0() < b.y1() && b.y0() < a.y1();
    }
}
