package io.adastream.models.eval;

import io.adastream.adapt.inference.AdaptationMode;
import io.adastream.models.eval.pictures.AccuracyChart;
import io.adastream.models.eval.pictures.ClassPalette;
import io.adastream.models.eval.pictures.FrameStrip;
import io.adastream.models.eval.pictures.ReportPictures;
import io.adastream.models.synth.SceneClasses;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pictures of an evaluation: the data handed to the chart, the files written and the report's section. */
class ReportPicturesTest {

    private static EvalModel model;

    @TempDir
    Path dir;

    @BeforeAll
    static void open() throws Exception {
        model = TinyModel.open();
    }

    @AfterAll
    static void close() throws Exception {
        model.close();
    }

    @Test
    void theChartPlotsTheEvalsPerFrameNumbersInPoints() throws Exception {
        TraceRecorderTest.Recorded r = TraceRecorderTest.replayContinual(model, 5);
        StreamTrace stream = r.traces().get(0);
        XYChart chart = AccuracyChart.build(stream, "title", "mIoU");
        assertEquals(List.of("source", "adabn"), List.copyOf(chart.getSeriesMap().keySet()));
        for (int p = 0; p < 2; p++) {
            XYSeries series = chart.getSeriesMap().get(r.all().policies.get(p));
            double[] expected = TraceRecorderTest.windowedMeanIoU(r.all().truths.get(p), r.all().masks.get(p),
                    SceneClasses.NAMES.size(), 5);
            double[] x = new double[expected.length];
            for (int i = 0; i < expected.length; i++) {
                expected[i] *= 100;
                x[i] = i;
            }
            assertArrayEquals(expected, series.getYData(), 1e-9, series.getName());
            assertArrayEquals(x, series.getXData());
        }
        Path png = dir.resolve("chart.png");
        AccuracyChart.write(chart, png);
        assertPng(png, AccuracyChart.WIDTH, AccuracyChart.HEIGHT);
    }

    @Test
    void picturesAreWrittenNextToTheReportAndShownInItsSection() throws Exception {
        EvalOptions o = EvalOptions.defaults().withFrames(6).withBatches(List.of(1))
                .withPolicies(List.of("source", "ema", "prior-decay")).withModePolicies(List.of())
                .withCyclic(Condition.CLEAN, Condition.parse("fog-5"), 2, 2, 4);
        Evaluation evaluation = new Evaluation(model, o, ProgressListener.NONE).recordTraces(4, 3);
        EvalResults results = evaluation.run();
        List<StreamTrace> traces = evaluation.traces();
        Path report = dir.resolve("eval-tiny.md");
        List<ReportPictures.Picture> pictures = ReportPictures.write(report, results, traces,
                ClassPalette.standard(SceneClasses.NAMES.size()), SceneClasses.NAMES);
        assertEquals(8, pictures.size(), "accuracy and frames for single-clean, single-fog-5, continual, cyclic");
        String md = ReportPictures.markdown(results, traces, pictures);
        assertTrue(md.startsWith("## Pictures\n"), md);
        assertTrue(md.contains("mIoU over the last 4 frames"), md);
        assertTrue(md.contains("`prior-decay` mask"), md);
        for (String stream : List.of("single-clean", "single-fog-5", "continual", "cyclic")) {
            Path plot = dir.resolve("eval-tiny-" + stream + "-accuracy.png");
            Path strip = dir.resolve("eval-tiny-" + stream + "-frames.png");
            assertPng(plot, AccuracyChart.WIDTH, AccuracyChart.HEIGHT);
            FrameStrip.Layout layout = FrameStrip.layout(TinyModel.SIZE, TinyModel.SIZE, 3, 4, SceneClasses.NAMES);
            assertPng(strip, layout.width(), layout.height());
            assertTrue(md.contains("](" + plot.getFileName() + ")"), md);
            assertTrue(md.contains("](" + strip.getFileName() + ")"), md);
        }
        // the cells' whole-stream numbers are untouched by tracing
        EvalResults untraced = new Evaluation(model, o, ProgressListener.NONE).run();
        assertEquals(untraced.accuracy(StreamKind.CONTINUAL, 1, AdaptationMode.FUSED, "ema", "fog-5"),
                results.accuracy(StreamKind.CONTINUAL, 1, AdaptationMode.FUSED, "ema", "fog-5"));
    }

    @Test
    void picturesAreNamedAfterTheReport() {
        assertEquals(Path.of("docs", "eval-segmenter-continual-accuracy.png").toAbsolutePath(),
                ReportPictures.pictureFile(Path.of("docs", "eval-segmenter.md"), "continual", "accuracy"));
        assertEquals("r-a_b-frames.png", ReportPictures.pictureFile(Path.of("r.md"), "a/b", "frames").getFileName().toString());
        assertEquals("prior-decay", ReportPictures.adaptedPolicy(List.of("source", "ema", "prior-decay")));
        assertEquals("ema", ReportPictures.adaptedPolicy(List.of("source", "ema")));
    }

    static void assertPng(Path file, int width, int height) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        assertArrayEquals(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, java.util.Arrays.copyOf(bytes, 8),
                file + " starts with the PNG signature");
        BufferedImage image = ImageIO.read(file.toFile());
        assertNotNull(image, file + " decodes");
        assertEquals(width, image.getWidth(), file.toString());
        assertEquals(height, image.getHeight(), file.toString());
    }
}
