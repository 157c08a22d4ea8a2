package io.adastream.models.task;

import io.adastream.models.spec.ModelSpec;
import io.adastream.models.spec.ModelSpecException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code ssd} decoder's {@code priors} option: priors and decoded boxes worked out by hand on small tensors. */
class SsdPriorsTest {

    private static ModelSpec.Priors levels(String centres, Boolean clip) {
        return new ModelSpec.Priors(new int[]{8, 16}, new int[][]{{4, 8}, {16}}, null, null, centres, clip);
    }

    @Test
    void priorsRunOverLevelsRowsColumnsAndMinSizesInTheAuthorsOrder() {
        // 32x16 input: level 0 (stride 8) is 4x2 cells of 2 priors, level 1 (stride 16) 2x1 cells of 1 prior
        PriorBoxes p = PriorBoxes.generate(levels(null, null), 32, 16);
        assertEquals(4 * 2 * 2 + 2 * 1, p.count());
        assertArrayEquals(new float[]{0.125f, 0.25f, 0.125f, 0.25f}, p.prior(0));     // cell (0, 0), min size 4
        assertArrayEquals(new float[]{0.125f, 0.25f, 0.25f, 0.5f}, p.prior(1));       // cell (0, 0), min size 8
        assertArrayEquals(new float[]{0.375f, 0.25f, 0.125f, 0.25f}, p.prior(2));     // cell (0, 1)
        assertArrayEquals(new float[]{0.875f, 0.75f, 0.25f, 0.5f}, p.prior(15));      // cell (1, 3), min size 8
        assertArrayEquals(new float[]{0.25f, 0.5f, 0.5f, 1f}, p.prior(16));           // level 1, cell (0, 0)
        assertArrayEquals(new float[]{0.75f, 0.5f, 0.5f, 1f}, p.prior(17));
    }

    @Test
    void aFeatureMapRoundedUpPlacesCentresByCellsOrByStride() {
        // 40x24, stride 16: ceil(2.5) = 3 columns, ceil(1.5) = 2 rows; a 32-pixel prior is 0.8 x 1.333 of the input
        ModelSpec.Priors cells = new ModelSpec.Priors(new int[]{16}, new int[][]{{32}}, null, null, null, null);
        ModelSpec.Priors strides = new ModelSpec.Priors(new int[]{16}, new int[][]{{32}}, null, null, "stride", false);
        PriorBoxes byCells = PriorBoxes.generate(cells, 40, 24);
        PriorBoxes byStride = PriorBoxes.generate(strides, 40, 24);
        assertEquals(6, byCells.count());
        assertEquals(6, byStride.count());
        // column 2, row 1: (2.5 / 3, 1.5 / 2) by cells; (2.5 * 16 / 40, 1.5 * 16 / 24) = (1, 1) by stride
        assertArrayEquals(new float[]{2.5f / 3, 0.75f, 0.8f, 1f}, byCells.prior(5), 1e-7f);   // height clipped to 1
        assertArrayEquals(new float[]{1f, 1f, 0.8f, 32f / 24}, byStride.prior(5), 1e-7f);     // not clipped
    }

    @Test
    void rawOffsetsDecodeAgainstTheirPriorWithTheVariances() throws Exception {
        // one level of stride 50 on 100x80: 2x2 cells; prior 3 is cell (1, 1): centre (0.75, 0.75), size (0.25, 0.3125)
        ModelSpec spec = OutputFormatsTest.detector(1, 100, 80, "\"decoder\": \"ssd\", \"boxes\": \"loc\", "
                + "\"scores\": \"conf\", \"priors\": {\"strides\": [50], \"minSizes\": [[25]]}", 0.5f, 0.5f, 10);
        float tw = (float) (Math.log(2) / 0.2);   // w = 2 x prior width = 0.5
        float[] loc = {
                0, 0, 0, 0,
                0, 0, 0, 0,
                0, 0, 0, 0,
                -2, -1, tw, 0};
        float[] conf = {0.9f, 0.1f, 0.9f, 0.1f, 0.9f, 0.1f, 0.2f, 0.8f};
        List<Detection> d = ((TaskResult.Detections) TaskAdapter.forSpec(spec).decode(
                new OutputFormatsTest.Tensors().put("loc", loc, 1, 4, 4).put("conf", conf, 1, 4, 2), 0,
                LetterboxTransform.stretch(200, 160, 100, 80))).detections();
        // cx = 0.75 - 2 x 0.1 x 0.25 = 0.7, cy = 0.75 - 0.1 x 0.3125 = 0.71875, w = 0.5, h = 0.3125
        // input pixels: x 45..95, y 45..70; frame pixels (x2): x 90..190, y 90..140
        assertEquals(1, d.size());
        assertEquals(1, d.get(0).classId());
        assertEquals(0.8f, d.get(0).score(), 1e-6);
        Box b = d.get(0).box();
        assertArrayEquals(new float[]{90, 90, 190, 140}, new float[]{b.x0(), b.y0(), b.x1(), b.y1()}, 1e-3f);
    }

    @Test
    void variancesAreTheSpecsWhenGiven() {
        ModelSpec.Priors levels = new ModelSpec.Priors(new int[]{10}, new int[][]{{10}}, 0.5f, 1f, null, null);
        PriorBoxes p = PriorBoxes.generate(levels, 10, 10);   // one prior covering the input: (0.5, 0.5, 1, 1)
        Box b = p.decode(0, 0.2f, 0, (float) Math.log(0.5), 0);
        // cx = 0.5 + 0.2 x 0.5 x 1 = 0.6, w = exp(ln 0.5 x 1) = 0.5, h = 1
        assertArrayEquals(new float[]{3.5f, 0, 8.5f, 10}, new float[]{b.x0(), b.y0(), b.x1(), b.y1()}, 1e-5f);
    }

    @Test
    void outputsOfAnotherAnchorCountAreRefused() throws Exception {
        ModelSpec spec = OutputFormatsTest.detector(1, 100, 80, "\"decoder\": \"ssd\", \"boxes\": \"loc\", "
                + "\"scores\": \"conf\", \"priors\": {\"strides\": [50], \"minSizes\": [[25]]}", 0.5f, 0.5f, 10);
        TaskAdapter adapter = TaskAdapter.forSpec(spec);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> adapter.decode(
                new OutputFormatsTest.Tensors().put("loc", new float[12], 1, 3, 4).put("conf", new float[6], 1, 3, 2), 0,
                LetterboxTransform.stretch(100, 80, 100, 80)));
        assertEquals("ssd outputs have 3 anchors, the spec's priors make 4", e.getMessage());
    }

    @Test
    void badPriorSettingsAreRefusedInOneLine() {
        String ssd = "\"decoder\": \"ssd\", \"boxes\": \"b\", \"scores\": \"s\", ";
        String[] bad = {
                ssd + "\"priors\": {\"strides\": [8, 16], \"minSizes\": [[10]]}",
                ssd + "\"priors\": {\"strides\": [0], \"minSizes\": [[10]]}",
                ssd + "\"priors\": {\"strides\": [8], \"minSizes\": [[]]}",
                ssd + "\"priors\": {\"strides\": [8], \"minSizes\": [[10]], \"sizeVariance\": -1}",
                ssd + "\"priors\": {\"strides\": [8], \"minSizes\": [[10]], \"centres\": \"corner\"}",
                ssd + "\"boxForm\": \"corners\", \"priors\": {\"strides\": [8], \"minSizes\": [[10]]}",
                ssd + "\"priors\": {\"strides\": [1], \"minSizes\": [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,"
                        + " 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33]]}",
                "\"name\": \"y\", \"decoder\": \"yolov5\", \"priors\": {\"strides\": [8], \"minSizes\": [[10]]}"};
        for (String output : bad) {
            ModelSpecException e = assertThrows(ModelSpecException.class,
                    () -> OutputFormatsTest.detector(1, 256, 256, output, 0.5f, 0.5f, 1), output);
            assertTrue(e.getMessage().startsWith("t.json: ") && e.getMessage().contains("priors"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }
}
