package io.adastream.models.eval.pictures;

import io.adastream.models.eval.AccuracyTrace;
import io.adastream.models.eval.StreamReplay;
import io.adastream.models.eval.StreamTrace;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The line plot of accuracy along one stream (XChart): x = frame index in the stream, y = the windowed accuracy
 * in points, one line per policy; {@code source} thick black, the oracle dashed grey; where the stream changes
 * condition, a vertical line and the new condition's name.
 */
public final class AccuracyChart {

    /** Size of the PNG in pixels. */
    public static final int WIDTH = 1000;
    public static final int HEIGHT = 460;

    /** The unadapted model's policy name, drawn as the distinct line. */
    static final String SOURCE = "source";

    private static final int LABEL_FONT = 11;
    /** Roughly the width of a label character at {@link #LABEL_FONT} points, for staggering labels. */
    private static final double LABEL_CHAR_PX = 6.5;
    /** Roughly the plot area's share of the chart's width (the legend is outside, on the right). */
    private static final double PLOT_SHARE = 0.78;

    private AccuracyChart() {
    }

    /** The chart of a stream's traces; {@code metric} names the y axis ("mIoU", "mAP@0.5"). */
    public static XYChart build(StreamTrace stream, String title, String metric) {
        int window = stream.traces().isEmpty() ? 0 : stream.traces().get(0).window();
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("frame in the stream")
                .yAxisTitle(metric + " over the last " + window + " frames (points)").build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setLegendBorderColor(Color.WHITE);
        chart.getStyler().setMarkerSize(0);
        chart.getStyler().setXAxisMin(0.0);
        // half a frame past the last: also keeps XChart from putting a tick on every frame (it does when the axis
        // range and the data's x values are all equally spaced)
        chart.getStyler().setXAxisMax(Math.max(1, stream.frames()) - 0.5);
        chart.getStyler().setAnnotationLineColor(new Color(120, 120, 120));
        chart.getStyler().setAnnotationLineStroke(new BasicStroke(1f));
        chart.getStyler().setAnnotationTextFont(new Font(Font.SANS_SERIF, Font.PLAIN, LABEL_FONT));
        chart.getStyler().setAnnotationTextFontColor(new Color(60, 60, 60));
        double top = 0;
        for (AccuracyTrace t : stream.traces()) {
            double[] y = points(t);
            for (double v : y) {
                if (!Double.isNaN(v)) {
                    top = Math.max(top, v);
                }
            }
            XYSeries series = chart.addSeries(t.policy(), frameIndices(t.frames()), y);
            series.setMarker(SeriesMarkers.NONE);
            series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            if (t.policy().equals(SOURCE)) {
                series.setLineColor(Color.BLACK);
                series.setLineWidth(3f);
            } else if (t.policy().equals(StreamReplay.ORACLE)) {
                series.setLineColor(Color.GRAY);
                series.setLineStyle(SeriesLines.DASH_DASH);
            } else {
                series.setLineWidth(1.5f);
            }
        }
        int levels = labelLevels(stream);
        double yMax = Math.min(100, 10 * Math.ceil((top + 4 + 6 * levels) / 10));
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(yMax);
        markChanges(chart, stream, levels, yMax);
        return chart;
    }

    /** Writes a chart as a PNG of {@link #WIDTH} x {@link #HEIGHT}. */
    public static void write(XYChart chart, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        }
    }

    /** The values plotted for a trace: its per-frame accuracy in points (NaN, a gap, where nothing was scored). */
    static double[] points(AccuracyTrace t) {
        double[] y = t.values();
        for (int i = 0; i < y.length; i++) {
            y[i] *= 100;
        }
        return y;
    }

    static double[] frameIndices(int frames) {
        double[] x = new double[frames];
        for (int i = 0; i < frames; i++) {
            x[i] = i;
        }
        return x;
    }

    /** Vertical lines where the condition changes, and each condition's name over its part (staggered if narrow). */
    private static void markChanges(XYChart chart, StreamTrace stream, int levels, double yMax) {
        List<StreamTrace.Segment> segments = stream.segments();
        if (segments.size() < 2) {
            return;
        }
        for (int i = 0; i < segments.size(); i++) {
            StreamTrace.Segment s = segments.get(i);
            int end = i + 1 < segments.size() ? segments.get(i + 1).start() : stream.frames();
            if (i > 0) {
                chart.addAnnotation(new AnnotationLine(s.start() - 0.5, true, false));
            }
            double y = yMax - 3 - 6 * (i % levels);
            chart.addAnnotation(new AnnotationText(s.row(), (s.start() + end - 1) / 2.0, y, false));
        }
    }

    /** Rows of labels needed so that neighbouring condition names do not overlap (at most 3). */
    private static int labelLevels(StreamTrace stream) {
        List<StreamTrace.Segment> segments = stream.segments();
        if (segments.size() < 2) {
            return 0;
        }
        double pxPerFrame = WIDTH * PLOT_SHARE / Math.max(1, stream.frames());
        double narrowest = Double.MAX_VALUE;
        int longest = 0;
        for (int i = 0; i < segments.size(); i++) {
            int end = i + 1 < segments.size() ? segments.get(i + 1).start() : stream.frames();
            narrowest = Math.min(narrowest, (end - segments.get(i).start()) * pxPerFrame);
            longest = Math.max(longest, segments.get(i).row().length());
        }
        return (int) Math.max(1, Math.min(3, Math.ceil((longest * LABEL_CHAR_PX + 8) / narrowest)));
    }
}
