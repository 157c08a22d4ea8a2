package io.adastream.trainer.camvid;

import io.adastream.trainer.data.InputNormalization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CamVid loader on synthetic folders written by the test: values, resizing, ordering, day/dusk split. */
class CamVidLoaderTest {
    @TempDir
    Path root;

    @Test
    void labelsAreReducedByAreaMajorityAndImagesByAreaAveraging() throws Exception {
        // 6x6 -> 2x2: each target pixel is a 3x3 block
        byte[] labels = new byte[36];
        int[] rgb = new int[36];
        int[][] blockLabels = {
                {3, 3, 3, 3, 3, 11, 11, 11, 11},  // 5 Road, 4 Unlabelled -> Road
                {2, 2, 2, 2, 11, 11, 11, 11, 11}, // 4 Pole, 5 Unlabelled -> Unlabelled
                {9, 9, 9, 4, 4, 4, 6, 6, 6},      // a three-way tie -> the smallest id, Pavement (4)
                {7, 7, 7, 7, 7, 7, 7, 7, 7}};     // all Fence
        for (int by = 0; by < 2; by++) {
            for (int bx = 0; bx < 2; bx++) {
                for (int k = 0; k < 9; k++) {
                    int p = (3 * by + k / 3) * 6 + 3 * bx + k % 3;
                    labels[p] = (byte) blockLabels[by * 2 + bx][k];
                    rgb[p] = ((10 * k + 40 * bx) << 16) | ((200 - 7 * k) << 8) | (3 * k + 100 * by);
                }
            }
        }
        SyntheticCamVid.write(root, "train", "0006R0_f00001", 6, 6, rgb, labels);
        CamVidFolder folder = new CamVidFolder(root);
        CamVidLoader loader = new CamVidLoader(2, 2, InputNormalization.MEAN, InputNormalization.STD);
        CamVidFrame frame = loader.load(folder.frames(List.of("train"), Set.of("0006R0")).get(0));

        assertArrayEquals(new byte[]{3, 11, 4, 7}, frame.labels());
        assertEquals(3 * 4, frame.input().length);
        for (int by = 0; by < 2; by++) {
            for (int bx = 0; bx < 2; bx++) {
                for (int c = 0; c < 3; c++) {
                    double sum = 0;
                    for (int k = 0; k < 9; k++) {
                        int p = rgb[(3 * by + k / 3) * 6 + 3 * bx + k % 3];
                        sum += (p >> (16 - 8 * c)) & 0xFF;
                    }
                    double expected = (Math.round(sum / 9) / 255.0 - InputNormalization.MEAN[c])
                            / InputNormalization.STD[c];
                    assertEquals(expected, frame.input()[c * 4 + by * 2 + bx], 1e-5,
                            "channel " + c + " at (" + bx + ", " + by + ")");
                }
            }
        }
    }

    @Test
    void framesAreSortedByNameAndFilteredBySequence() throws Exception {
        for (String name : List.of("0016E5_08000", "0006R0_f02400", "0016E5_07959", "0001TP_006690",
                "0006R0_f00930")) {
            SyntheticCamVid.writeUniform(root, "train", name, 0x336699, 3);
        }
        SyntheticCamVid.writeUniform(root, "val", "0016E5_07961", 0x336699, 3);
        List<CamVidFrameFile> day = new CamVidFolder(root).frames(List.of("train", "val"),
                Set.copyOf(CamVidSequences.DAY_TRAINING));
        assertEquals(List.of("0006R0_f00930", "0006R0_f02400", "0016E5_07959", "0016E5_07961", "0016E5_08000"),
                day.stream().map(CamVidFrameFile::name).toList());
        assertEquals(root.resolve("valannot").resolve("0016E5_07961.png"), day.get(3).label());
    }

    @Test
    void dayAndDuskAreSplitByFileNamePrefix() throws Exception {
        SyntheticCamVid.writeUniform(root, "train", "0001TP_006720", 0x101010, 0);
        SyntheticCamVid.writeUniform(root, "train", "0006R0_f01000", 0x202020, 1);
        SyntheticCamVid.writeUniform(root, "val", "0016E5_07000", 0x303030, 2);
        SyntheticCamVid.writeUniform(root, "test", "0001TP_008550", 0x404040, 4);
        SyntheticCamVid.writeUniform(root, "test", "0001TP_006690", 0x505050, 5);
        SyntheticCamVid.writeUniform(root, "test", "Seq05VD_f00000", 0x606060, 8);
        CamVidFolder folder = new CamVidFolder(root);
        CamVidLoader loader = new CamVidLoader(2, 2, InputNormalization.MEAN, InputNormalization.STD);

        CamVidSet day = loader.load(folder.frames(List.of("train", "val"), Set.copyOf(CamVidSequences.DAY_TRAINING)));
        assertEquals(List.of("0006R0_f01000", "0016E5_07000"), day.frames().stream().map(CamVidFrame::name).toList());
        assertArrayEquals(new byte[]{1, 1, 1, 1}, day.get(0).labels());
        assertArrayEquals(new byte[]{2, 2, 2, 2}, day.get(1).labels());

        CamVidSet dusk = loader.load(folder.frames(List.of("train", "test"), Set.of(CamVidSequences.DUSK)));
        assertEquals(List.of("0001TP_006690", "0001TP_006720", "0001TP_008550"),
                dusk.frames().stream().map(CamVidFrame::name).toList());
        assertArrayEquals(new byte[]{5, 5, 5, 5}, dusk.get(0).labels());

        List<CamVidFrameFile> heldOut = folder.frames(List.of("test"), Set.of(CamVidSequences.DAY_HELD_OUT));
        assertEquals(List.of("Seq05VD_f00000"), heldOut.stream().map(CamVidFrameFile::name).toList());
        assertEquals("Seq05VD", heldOut.get(0).sequence());
    }

    @Test
    void badInputGetsAClearError() throws Exception {
        SyntheticCamVid.writeUniform(root, "train", "0006R0_f00001", 0x336699, 12);
        CamVidFolder folder = new CamVidFolder(root);
        CamVidLoader loader = new CamVidLoader(2, 2, InputNormalization.MEAN, InputNormalization.STD);
        CamVidFrameFile file = folder.frames(List.of("train"), Set.of("0006R0")).get(0);
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> loader.load(file));
        assertTrue(bad.getMessage().contains("label value 12") && bad.getMessage().contains("0006R0_f00001.png"),
                bad.getMessage());

        java.nio.file.Files.delete(file.label());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> folder.frames(List.of("train"), Set.of("0006R0")));
        assertTrue(missing.getMessage().contains("has no label file"), missing.getMessage());
        assertThrows(IllegalArgumentException.class, () -> folder.frames(List.of("val"), Set.of("0006R0")));
        assertThrows(IllegalArgumentException.class, () -> CamVidSequences.of("nounderscore.png"));
        assertEquals(false, new CamVidFolder(root.resolve("absent")).exists());
    }
}
