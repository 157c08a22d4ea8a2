package io.adastream.models.eval;

import io.adastream.adapt.inference.AdaptationMode;
import io.adastream.adapt.stats.policy.Policies;
import io.adastream.models.eval.pictures.AccuracyChart;
import io.adastream.models.eval.pictures.ClassPalette;
import io.adastream.models.eval.pictures.FrameStrip;
import io.adastream.models.eval.pictures.ReportPictures;
import io.adastream.models.synth.SceneClasses;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pictures of an evaluation on labelled folders: the traces recorded along its streams are the per-frame series
 * of its results, and they go through the same picture writer as the synthetic evaluation's.
 */
class LabelledPicturesTest {

    private static final int FRAMES = 12;
    private static final int WINDOW = 5;
    private static final List<String> POLICIES = List.of("source", Policies.DEFAULT);

    private static LabelledResults results;
    private static List<StreamTrace> traces;

    @TempDir
    Path dir;

    /** Two domains of 12 rendered frames (day, fog-5), clean and low_light-3, two orders, continual day → fog → day. */
    @BeforeAll
    static void run() throws Exception {
        LabelledPlan plan = DayAndFog.plan(11, FRAMES, POLICIES, WINDOW, Set.of());
        try (EvalModel model = TinyModel.open()) {
            LabelledEvaluation evaluation = new LabelledEvaluation(model, plan, ProgressListener.NONE)
                    .recordTraces(WINDOW, 3);
            results = evaluation.run();
            traces = evaluation.traces();
        }
    }

    @Test
    void everyStreamIsTracedAtTheFirstBatchSizeInTheMainMode() {
        List<String> expected = new ArrayList<>();
        for (String d : List.of("day", "fog")) {
            for (String c : List.of("", " low_light-3")) {
                expected.add("single-" + d + c);
                expected.add("single-" + d + c + ", dominant-class order");
            }
        }
        expected.add("continual");
        assertEquals(expected, traces.stream().map(StreamTrace::name).toList());
        for (StreamTrace t : traces) {
            boolean firstOrder = !t.name().contains("order") && !t.name().equals("continual");
            // the oracle is computed once per domain and condition, on the first order's stream
            List<String> policies = new ArrayList<>(POLICIES);
            if (firstOrder) {
                policies.add(StreamReplay.ORACLE);
            }
            assertEquals(policies, t.traces().stream().map(AccuracyTrace::policy).toList(), t.name());
            for (String p : POLICIES) {
                assertEquals(1, t.trace(p).batch(), t.name());
                assertEquals(AdaptationMode.FUSED, t.trace(p).mode(), t.name());
            }
            assertNull(t.trace("adabn"), "the two-pass-only policy is not traced");
            assertEquals(3, t.samples().size(), t.name());
            for (StreamTrace.SampleFrame s : t.samples()) {
                assertEquals(Set.copyOf(policies), s.masks().keySet(), t.name());
            }
        }
    }

    @Test
    void aSingleStreamsTraceIsItsCellsRollingSeries() {
        for (StreamTrace t : traces) {
            if (t.name().equals("continual")) {
                continue;
            }
            String row = t.name().substring("single-".length());
            for (AccuracyTrace trace : t.traces()) {
                CellResult cell = singleCell(trace.policy(), row);
                assertArrayEquals(cell.series(row).rollingAccuracy(), trace.values(), 0.0, t.name() + " " + trace.policy());
            }
        }
    }

    @Test
    void theContinualStreamIsMarkedWhereTheDomainChanges() {
        StreamTrace continual = traces.get(traces.size() - 1);
        assertEquals(3 * FRAMES, continual.frames());
        assertEquals(List.of(new StreamTrace.Segment(0, "day"), new StreamTrace.Segment(FRAMES, "fog"),
                new StreamTrace.Segment(2 * FRAMES, "day (2nd time)")), continual.segments());
        // the stream's first part is the first row: the same window over the same predictions
        for (String p : POLICIES) {
            CellResult cell = results.results().cell(StreamKind.CONTINUAL, 1, AdaptationMode.FUSED, p);
            double[] along = continual.trace(p).values();
            assertArrayEquals(cell.series("day").rollingAccuracy(), java.util.Arrays.copyOf(along, FRAMES), 0.0, p);
        }
        var chart = AccuracyChart.build(continual, "t", "mIoU");
        assertEquals(POLICIES, List.copyOf(chart.getSeriesMap().keySet()));
    }

    @Test
    void picturesAreWrittenNextToTheReportWithThePalettesColours() throws Exception {
        ClassPalette palette = ClassPalette.of(0x102030, 0xC80000, 0x00C800, 0x0000C8, 0x646464, 0xFAFA00);
        Path report = dir.resolve("eval-tiny.md");
        List<ReportPictures.Picture> pictures = ReportPictures.write(report, results.results(), traces, palette,
                results.classes());
        assertEquals(2 * traces.size(), pictures.size(), "a plot and a strip per stream");
        String md = ReportPictures.markdown(results.results(), traces, pictures);
        assertTrue(md.contains("mIoU over the last " + WINDOW + " frames"), md);
        assertTrue(md.contains("`" + Policies.DEFAULT + "` mask"), md);
        for (ReportPictures.Picture p : pictures) {
            assertTrue(md.contains("](" + p.file().getFileName() + ")"), md);
        }
        assertEquals(dir.resolve("eval-tiny-single-day_low_light-3__dominant-class_order-accuracy.png"),
                ReportPictures.pictureFile(report, "single-day low_light-3, dominant-class order", "accuracy"));
        Path plot = dir.resolve("eval-tiny-continual-accuracy.png");
        ReportPicturesTest.assertPng(plot, AccuracyChart.WIDTH, AccuracyChart.HEIGHT);

        StreamTrace continual = traces.get(traces.size() - 1);
        Path strip = dir.resolve("eval-tiny-continual-frames.png");
        List<String> legend = new ArrayList<>(SceneClasses.NAMES);
        if (anyUnlisted(continual)) {
            legend.add("ignore");
        }
        FrameStrip.Layout layout = FrameStrip.layout(TinyModel.SIZE, TinyModel.SIZE, 3, 4, legend);
        ReportPicturesTest.assertPng(strip, layout.width(), layout.height());
        BufferedImage image = ImageIO.read(strip.toFile());
        assertNotNull(image);
        // rows: input, source, prior-decay, ground truth; every pixel of every tile is the frame's pixel or the
        // palette colour of its mask value
        int[] sampleAt = TraceRecorder.sampleIndices(3 * FRAMES, 3);
        for (int c = 0; c < 3; c++) {
            StreamTrace.SampleFrame s = continual.samples().get(c);
            assertEquals(sampleAt[c], s.index());
            List<int[]> expected = List.of(s.frame().packedRgb(), colours(s.masks().get("source"), palette),
                    colours(s.masks().get(Policies.DEFAULT), palette), colours(s.frame().classMask(), palette));
            for (int r = 0; r < 4; r++) {
                for (int y = 0; y < TinyModel.SIZE; y++) {
                    for (int x = 0; x < TinyModel.SIZE; x++) {
                        int px = layout.tileLeft(c) + x * layout.scale() + layout.scale() / 2;
                        int py = layout.tileTop(r) + y * layout.scale() + layout.scale() / 2;
                        assertEquals(expected.get(r)[y * TinyModel.SIZE + x] & 0xFFFFFF, image.getRGB(px, py) & 0xFFFFFF,
                                "row " + r + " column " + c + " pixel " + x + "," + y);
                    }
                }
            }
        }
    }

    private static boolean anyUnlisted(StreamTrace stream) {
        for (StreamTrace.SampleFrame s : stream.samples()) {
            for (byte b : s.frame().classMask()) {
                if ((b & 0xFF) >= SceneClasses.NAMES.size()) {
                    return true;
                }
            }
        }
        return false;
    }

    private static int[] colours(byte[] mask, ClassPalette palette) {
        int[] rgb = new int[mask.length];
        for (int i = 0; i < mask.length; i++) {
            rgb[i] = palette.rgb(mask[i] & 0xFF);
        }
        return rgb;
    }

    private static CellResult singleCell(String policy, String row) {
        for (CellResult c : results.results().cells()) {
            if (c.stream().equals(StreamKind.SINGLE.id()) && c.policy().equals(policy) && c.batch() == 1
                    && c.mode() == AdaptationMode.FUSED && c.accuracy().containsKey(row)) {
                return c;
            }
        }
        throw new AssertionError("no cell " + policy + " " + row);
    }
}
