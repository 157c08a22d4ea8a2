package io.adastream.models.data;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real labelled folders of {@code ../shared/data} as {@code adastream eval --data} lists them (skipped where absent). */
class SharedLabelledDataTest {

    static Path shared(String relative) {
        Path p = Path.of("").toAbsolutePath().getParent().resolveSibling("shared").resolve("data").resolve(relative);
        Assumptions.assumeTrue(Files.exists(p), "skipped: " + p + " is absent (the shared third-party data is not checked out)");
        return p;
    }

    @Test
    void camvidSequencesAreDomainsInTemporalOrderAcrossSplits() throws Exception {
        Map<String, List<LabelledImage>> d = LabelledFolder.list(shared("camvid"), null, LabelLayout.CAMVID, DomainRule.PREFIX);
        assertEquals(List.of("0001TP", "0006R0", "0016E5", "Seq05VD"), List.copyOf(d.keySet()));
        assertEquals(124, d.get("0001TP").size());
        assertEquals(171, d.get("Seq05VD").size());
        assertEquals(101, d.get("0006R0").size());
        assertEquals(305, d.get("0016E5").size());
        // the dusk sequence: its train half, then its test half (frame numbers increase)
        List<LabelledImage> dusk = d.get("0001TP");
        assertTrue(dusk.get(61).image().toString().contains("/train/"), dusk.get(61).image().toString());
        assertTrue(dusk.get(62).image().toString().contains("/test/"), dusk.get(62).image().toString());
        assertEquals("0001TP_008550", dusk.get(62).name());
        for (int i = 1; i < dusk.size(); i++) {
            assertTrue(dusk.get(i - 1).name().compareTo(dusk.get(i).name()) < 0);
        }
    }

    @Test
    void cocoVal128HasItsImagesAndBoxes() throws Exception {
        Path images = shared("coco-val128/images/val2017");
        Path labels = shared("coco-val128/object_detection/labels/val2017");
        List<LabelledImage> list = LabelledFolder.list(images, labels, LabelLayout.YOLO, DomainRule.FOLDER).get("val2017");
        assertEquals(128, list.size());
        long boxes = 0;
        for (LabelledImage i : list) {
            if (i.label() != null) {
                boxes += Files.readAllLines(i.label()).stream().filter(l -> !l.isBlank()).count();
            }
        }
        assertEquals(898, boxes);
    }
}
