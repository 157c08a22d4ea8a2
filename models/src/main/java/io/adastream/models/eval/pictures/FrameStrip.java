package io.adastream.models.eval.pictures;

import io.adastream.models.eval.EvalFrame;
import io.adastream.models.eval.StreamTrace;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * A strip of a few frames of a segmentation stream, one column per frame (its index and condition on top) and
 * one row each for the input, the source model's mask, an adapted policy's mask and the ground truth, masks in a
 * {@link ClassPalette}; tiles are the frames scaled up by a whole factor (nearest neighbour), a legend of the
 * classes below.
 */
public final class FrameStrip {

    /** Tiles are scaled by the smallest whole factor that makes them at least this wide. */
    static final int MIN_TILE_WIDTH = 180;
    static final int LABEL_WIDTH = 110;
    static final int HEADER_HEIGHT = 36;
    static final int GAP = 4;
    static final int LEGEND_LINE = 20;

    /** Where everything goes: tile {@code (row, column)} has its top-left pixel at (tileLeft, tileTop). */
    public record Layout(int columns, int rows, int scale, int tileWidth, int tileHeight, int legendLines, int width,
                         int height) {

        public int tileLeft(int column) {
            return LABEL_WIDTH + column * (tileWidth + GAP);
        }

        public int tileTop(int row) {
            return HEADER_HEIGHT + row * (tileHeight + GAP);
        }

        int legendTop() {
            return tileTop(rows) + GAP;
        }
    }

    /** One row of the strip: its label and, per column, the class mask shown (null for the input row). */
    private record Row(String label, List<byte[]> masks) {
    }

    /** A legend swatch. */
    private record Swatch(String name, int rgb) {
    }

    private FrameStrip() {
    }

    /** The layout of a strip of {@code columns} frames of the given size, {@code rows} rows, a legend of the classes. */
    public static Layout layout(int frameWidth, int frameHeight, int columns, int rows, List<String> legend) {
        return layout(frameWidth, frameHeight, columns, rows, legendEntryWidth(legend), legend.size());
    }

    private static Layout layout(int frameWidth, int frameHeight, int columns, int rows, int entryWidth, int entries) {
        int scale = Math.max(1, (MIN_TILE_WIDTH + frameWidth - 1) / frameWidth);
        int tileWidth = frameWidth * scale;
        int tileHeight = frameHeight * scale;
        int width = LABEL_WIDTH + columns * (tileWidth + GAP);
        int perLine = Math.max(1, (width - LABEL_WIDTH) / entryWidth);
        int lines = (entries + perLine - 1) / perLine;
        int height = HEADER_HEIGHT + rows * (tileHeight + GAP) + GAP + lines * LEGEND_LINE + GAP;
        return new Layout(columns, rows, scale, tileWidth, tileHeight, lines, width, height);
    }

    /**
     * The strip of a stream's sample frames: input, {@code source}'s mask (if traced), {@code adapted}'s mask (if
     * traced), ground truth. {@code classNames} label the legend; ids past them show as "ignore".
     */
    public static BufferedImage render(StreamTrace stream, String adapted, ClassPalette palette, List<String> classNames) {
        List<StreamTrace.SampleFrame> samples = stream.samples();
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("stream " + stream.name() + " has no sample frames");
        }
        List<Row> rows = new ArrayList<>();
        rows.add(new Row("input", null));
        addMaskRow(rows, samples, AccuracyChart.SOURCE, AccuracyChart.SOURCE);
        if (!adapted.equals(AccuracyChart.SOURCE)) {
            addMaskRow(rows, samples, adapted, adapted);
        }
        List<byte[]> truth = new ArrayList<>();
        for (StreamTrace.SampleFrame s : samples) {
            truth.add(s.frame().classMask());
        }
        rows.add(new Row("ground truth", truth));
        List<String> names = new ArrayList<>(classNames);
        List<Swatch> legend = new ArrayList<>();
        for (int k = 0; k < classNames.size(); k++) {
            legend.add(new Swatch(classNames.get(k), palette.rgb(k)));
        }
        int ignore = firstUnlisted(truth, classNames.size());
        if (ignore >= 0) {
            names.add("ignore");
            legend.add(new Swatch("ignore", palette.rgb(ignore)));
        }
        EvalFrame first = samples.get(0).frame();
        Layout layout = layout(first.width(), first.height(), samples.size(), rows.size(), names);
        BufferedImage image = new BufferedImage(layout.width(), layout.height(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, layout.width(), layout.height());
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            FontMetrics fm = g.getFontMetrics();
            for (int c = 0; c < samples.size(); c++) {
                StreamTrace.SampleFrame s = samples.get(c);
                g.drawString("frame " + s.index(), layout.tileLeft(c), HEADER_HEIGHT - GAP - fm.getHeight());
                g.drawString(s.row(), layout.tileLeft(c), HEADER_HEIGHT - GAP - fm.getDescent());
            }
            for (int r = 0; r < rows.size(); r++) {
                Row row = rows.get(r);
                g.setColor(Color.BLACK);
                g.drawString(row.label(), 6, layout.tileTop(r) + layout.tileHeight() / 2 + fm.getAscent() / 2);
                for (int c = 0; c < samples.size(); c++) {
                    EvalFrame f = samples.get(c).frame();
                    for (int y = 0; y < f.height(); y++) {
                        for (int x = 0; x < f.width(); x++) {
                            int i = y * f.width() + x;
                            int rgb = row.masks() == null ? f.packedRgb()[i] : palette.rgb(row.masks().get(c)[i] & 0xFF);
                            fillPixel(image, layout.tileLeft(c) + x * layout.scale(), layout.tileTop(r) + y * layout.scale(),
                                    layout.scale(), rgb & 0xFFFFFF);
                        }
                    }
                }
            }
            drawLegend(g, layout, legend, names, fm);
        } finally {
            g.dispose();
        }
        return image;
    }

    private static void addMaskRow(List<Row> rows, List<StreamTrace.SampleFrame> samples, String policy, String label) {
        List<byte[]> masks = new ArrayList<>();
        for (StreamTrace.SampleFrame s : samples) {
            byte[] m = s.masks().get(policy);
            if (m == null) {
                return;
            }
            masks.add(m);
        }
        rows.add(new Row(label, masks));
    }

    /** The first id at or past {@code classes} in the masks (an ignore id), or -1. */
    private static int firstUnlisted(List<byte[]> masks, int classes) {
        for (byte[] m : masks) {
            for (byte b : m) {
                if ((b & 0xFF) >= classes) {
                    return b & 0xFF;
                }
            }
        }
        return -1;
    }

    private static void fillPixel(BufferedImage image, int left, int top, int scale, int rgb) {
        for (int dy = 0; dy < scale; dy++) {
            for (int dx = 0; dx < scale; dx++) {
                image.setRGB(left + dx, top + dy, rgb);
            }
        }
    }

    private static int legendEntryWidth(List<String> legend) {
        int longest = 0;
        for (String name : legend) {
            longest = Math.max(longest, name.length());
        }
        return 14 + 6 + 7 * longest + 16;
    }

    /** Swatches with class names, in lines under the tiles. */
    private static void drawLegend(Graphics2D g, Layout layout, List<Swatch> legend, List<String> names, FontMetrics fm) {
        int entry = legendEntryWidth(names);
        int perLine = Math.max(1, (layout.width() - LABEL_WIDTH) / entry);
        g.setColor(Color.BLACK);
        g.drawString("classes", 6, layout.legendTop() + 14);
        for (int k = 0; k < legend.size(); k++) {
            int x = LABEL_WIDTH + (k % perLine) * entry;
            int y = layout.legendTop() + (k / perLine) * LEGEND_LINE;
            g.setColor(new Color(legend.get(k).rgb()));
            g.fillRect(x, y + 3, 14, 14);
            g.setColor(Color.DARK_GRAY);
            g.drawRect(x, y + 3, 14, 14);
            g.setColor(Color.BLACK);
            g.drawString(legend.get(k).name(), x + 20, y + 3 + 7 + fm.getAscent() / 2 - 1);
        }
    }
}
