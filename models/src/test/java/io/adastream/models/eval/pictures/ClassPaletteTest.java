package io.adastream.models.eval.pictures;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClassPaletteTest {

    @TempDir
    Path dir;

    @Test
    void theStandardPaletteIsThePascalVocColourMap() {
        ClassPalette p = ClassPalette.standard(16);
        // VOC: background, aeroplane, bicycle, bird, boat, bottle, bus, car, cat ... person (15)
        int[] voc = {0x000000, 0x800000, 0x008000, 0x808000, 0x000080, 0x800080, 0x008080, 0x808080, 0x400000,
                0xC00000, 0x408000, 0xC08000, 0x400080, 0xC00080, 0x408080, 0xC08080};
        for (int id = 0; id < voc.length; id++) {
            assertEquals(voc[id], p.rgb(id), "class " + id);
        }
        assertEquals(ClassPalette.UNLISTED, p.rgb(16));
        assertEquals(ClassPalette.UNLISTED, p.rgb(255));
    }

    @Test
    void aSpecsPaletteColoursTheClassesAndItsExtraEntries() throws Exception {
        Path spec = Files.writeString(dir.resolve("m.json"),
                "{\"name\": \"m\", \"palette\": [[128, 128, 128], [128, 0, 0], [0, 0, 0]]}");
        ClassPalette p = ClassPalette.forSpec(spec, 2);
        assertEquals(0x808080, p.rgb(0));
        assertEquals(0x800000, p.rgb(1));
        assertEquals(0x000000, p.rgb(2), "the entry past the classes: an ignore id's colour");
        assertEquals(ClassPalette.UNLISTED, p.rgb(3));
    }

    @Test
    void aSpecWithoutPaletteOrABundledModelGetsTheStandardOne() throws Exception {
        Path spec = Files.writeString(dir.resolve("m.json"), "{\"name\": \"m\"}");
        assertEquals(0x800000, ClassPalette.forSpec(spec, 3).rgb(1));
        assertEquals(0x008000, ClassPalette.forSpec(null, 3).rgb(2));
    }

    @Test
    void aBadPaletteIsAOneLineError() throws Exception {
        Path short_ = Files.writeString(dir.resolve("a.json"), "{\"palette\": [[1, 2, 3]]}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClassPalette.forSpec(short_, 2));
        assertTrue(e.getMessage().contains("each of the 2 classes"), e.getMessage());
        Path range = Files.writeString(dir.resolve("b.json"), "{\"palette\": [[1, 2, 3], [1, 2, 300]]}");
        e = assertThrows(IllegalArgumentException.class, () -> ClassPalette.forSpec(range, 2));
        assertTrue(e.getMessage().contains("entry 1 needs three values 0..255"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }
}
