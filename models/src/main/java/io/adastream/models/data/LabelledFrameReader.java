package io.adastream.models.data;

import io.adastream.models.eval.EvalFrame;
import io.adastream.models.io.ImageDecodeException;
import io.adastream.models.io.ImageDecoder;
import io.adastream.models.metrics.LabeledBox;
import io.adastream.models.spec.ModelSpec;
import io.adastream.models.task.AreaResizer;
import io.adastream.models.task.Box;
import io.adastream.models.task.ImageResizer;
import io.adastream.models.task.LetterboxTransform;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Reads labelled images as evaluation frames at a model's input size, placed as the spec's pre-processing places
 * them (stretch or letterbox, area or bilinear resampling): the pixels resized, a mask reduced by
 * {@link LabelDownscaler}'s majority vote over the same footprints (the ignore id and letterbox padding become 255,
 * not scored), YOLO boxes mapped into model-input pixels (foreground class ids from 1, as the decoders report
 * them). Scoring at the model's input size is scoring in the frame's pixels for boxes up to the axis scaling (IoU is
 * invariant under it). Not thread-safe.
 */
public final class LabelledFrameReader {

    /** The mask value of pixels that are not scored. */
    public static final int NOT_SCORED = 255;

    private final ModelSpec spec;
    private final int width;
    private final int height;
    private final int ignoreId;
    private final ImageDecoder decoder = new ImageDecoder();
    private final AreaResizer area = new AreaResizer();
    private final LabelDownscaler labels = new LabelDownscaler();

    /** @param ignoreId the mask value that is not scored (e.g. CamVid's Unlabelled, 11) */
    public LabelledFrameReader(ModelSpec spec, int ignoreId) {
        if (ignoreId < 0 || ignoreId > 255) {
            throw new IllegalArgumentException("ignore id must be 0..255: " + ignoreId);
        }
        this.spec = spec;
        this.width = spec.input().width();
        this.height = spec.input().height();
        this.ignoreId = ignoreId;
    }

    /** One frame; a clear error (naming the file) when the image or its label cannot be read or do not fit. */
    public EvalFrame read(LabelledImage image) throws IOException {
        BufferedImage decoded;
        try {
            decoded = decoder.decode(Files.readAllBytes(image.image()));
        } catch (ImageDecodeException e) {
            throw new IllegalArgumentException(image.image() + ": " + e.getMessage(), e);
        }
        int w = decoded.getWidth();
        int h = decoded.getHeight();
        LetterboxTransform t = spec.input().letterbox() ? LetterboxTransform.letterbox(w, h, width, height)
                : LetterboxTransform.stretch(w, h, width, height);
        int[] src = decoded.getRGB(0, 0, w, h, null, 0, w);
        int[] pixels = new int[width * height];
        if (spec.input().areaResize()) {
            area.resize(src, t, spec.input().padRgb(), pixels);
        } else {
            ImageResizer.resize(src, t, spec.input().padRgb(), pixels);
        }
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] &= 0xFFFFFF;
        }
        if (spec.isSegmentation()) {
            return new EvalFrame(width, height, pixels, mask(image, t), List.of());
        }
        byte[] none = new byte[width * height];
        Arrays.fill(none, (byte) NOT_SCORED);
        return new EvalFrame(width, height, pixels, none, boxes(image, t));
    }

    private byte[] mask(LabelledImage image, LetterboxTransform t) throws IOException {
        if (image.label() == null) {
            throw new IllegalArgumentException(image.image() + " has no mask");
        }
        BufferedImage label = ImageIO.read(image.label().toFile());
        if (label == null) {
            throw new IllegalArgumentException(image.label() + " is not an image");
        }
        if (label.getWidth() != t.sourceWidth() || label.getHeight() != t.sourceHeight()) {
            throw new IllegalArgumentException(image.label() + " is " + label.getWidth() + "x" + label.getHeight()
                    + " but its image is " + t.sourceWidth() + "x" + t.sourceHeight());
        }
        Raster raster = label.getRaster();
        if (raster.getNumBands() != 1) {
            throw new IllegalArgumentException(image.label() + " has " + raster.getNumBands()
                    + " channels; a mask is a one-channel class-id PNG");
        }
        int lw = label.getWidth();
        int lh = label.getHeight();
        int[] values = raster.getSamples(0, 0, lw, lh, 0, new int[lw * lh]);
        int classes = spec.classes().size();
        byte[] raw = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            int v = values[i];
            if (v != ignoreId && (v < 0 || v >= classes)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: value %d at (%d, %d) is neither a"
                        + " class (0..%d) nor the ignore id %d (set it with --ignore)", image.label(), v, i % lw,
                        i / lw, classes - 1, ignoreId));
            }
            raw[i] = (byte) v;
        }
        int cw = Math.min(width, t.contentWidth());
        int ch = Math.min(height, t.contentHeight());
        byte[] content = labels.resize(raw, lw, lh, cw, ch);
        byte[] mask = new byte[width * height];
        Arrays.fill(mask, (byte) NOT_SCORED);
        int x0 = Math.round(t.padX());
        int y0 = Math.round(t.padY());
        for (int y = 0; y < ch; y++) {
            for (int x = 0; x < cw; x++) {
                int v = content[y * cw + x] & 0xFF;
                mask[(y0 + y) * width + x0 + x] = (byte) (v == ignoreId ? NOT_SCORED : v);
            }
        }
        return mask;
    }

    private List<LabeledBox> boxes(LabelledImage image, LetterboxTransform t) throws IOException {
        if (image.label() == null) {
            return List.of();
        }
        List<LabeledBox> boxes = new ArrayList<>();
        int foreground = spec.outputClasses();
        int lineNo = 0;
        for (String line : Files.readAllLines(image.label())) {
            lineNo++;
            String s = line.strip();
            if (s.isEmpty()) {
                continue;
            }
            String[] f = s.split("\\s+");
            if (f.length != 5) {
                throw new IllegalArgumentException(image.label() + " line " + lineNo + ": expected 'class cx cy w h', got '" + s + "'");
            }
            int cls;
            float cx;
            float cy;
            float bw;
            float bh;
            try {
                cls = Integer.parseInt(f[0]);
                cx = Float.parseFloat(f[1]);
                cy = Float.parseFloat(f[2]);
                bw = Float.parseFloat(f[3]);
                bh = Float.parseFloat(f[4]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(image.label() + " line " + lineNo + ": not numbers: '" + s + "'");
            }
            if (cls < 0 || cls >= foreground) {
                throw new IllegalArgumentException(image.label() + " line " + lineNo + ": class " + cls
                        + " outside 0.." + (foreground - 1) + " (the model's foreground classes)");
            }
            float sw = t.sourceWidth();
            float sh = t.sourceHeight();
            boxes.add(new LabeledBox(cls + 1, new Box(t.padX() + t.scaleX() * (cx - bw / 2) * sw,
                    t.padY() + t.scaleY() * (cy - bh / 2) * sh, t.padX() + t.scaleX() * (cx + bw / 2) * sw,
                    t.padY() + t.scaleY() * (cy + bh / 2) * sh)));
        }
        return boxes;
    }
}
