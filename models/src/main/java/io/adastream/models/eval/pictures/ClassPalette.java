package io.adastream.models.eval.pictures;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The colour of each class id in pictures of masks, 0xRRGGBB: a spec's {@code palette} (one {@code [r, g, b]} per
 * label value, as the CamVid spec carries), or the PASCAL VOC colour map for specs without one. Ids past the
 * palette (an ignore id) get {@link #UNLISTED}.
 */
public final class ClassPalette {

    /** The colour of ids the palette does not list: VOC's light "void" colour. */
    public static final int UNLISTED = 0xE0E0C0;

    private final int[] rgb;

    private ClassPalette(int[] rgb) {
        this.rgb = rgb;
    }

    /** A palette of the given 0xRRGGBB colours, by class id. */
    public static ClassPalette of(int... rgb) {
        return new ClassPalette(rgb.clone());
    }

    /** The PASCAL VOC colour map for {@code classes} ids: id 0 black, then the bits of the id spread over R, G, B. */
    public static ClassPalette standard(int classes) {
        int[] rgb = new int[classes];
        for (int id = 0; id < classes; id++) {
            int r = 0;
            int g = 0;
            int b = 0;
            int c = id;
            for (int bit = 7; bit >= 0; bit--) {
                r |= (c & 1) << bit;
                g |= ((c >> 1) & 1) << bit;
                b |= ((c >> 2) & 1) << bit;
                c >>= 3;
            }
            rgb[id] = r << 16 | g << 8 | b;
        }
        return new ClassPalette(rgb);
    }

    /**
     * The {@code palette} of a spec file, or the standard palette when it has none ({@code specFile} null: a bundled
     * model). A palette must list at least {@code classes} colours of three values 0..255.
     */
    public static ClassPalette forSpec(Path specFile, int classes) throws IOException {
        if (specFile == null) {
            return standard(classes);
        }
        JsonNode palette = new ObjectMapper().readTree(specFile.toFile()).get("palette");
        if (palette == null || palette.isNull()) {
            return standard(classes);
        }
        if (!palette.isArray() || palette.size() < classes) {
            throw new IllegalArgumentException(specFile + ": 'palette' must list an [r, g, b] colour for each of the "
                    + classes + " classes");
        }
        int[] rgb = new int[palette.size()];
        for (int id = 0; id < rgb.length; id++) {
            JsonNode c = palette.get(id);
            if (!c.isArray() || c.size() != 3) {
                throw new IllegalArgumentException(specFile + ": 'palette' entry " + id + " is not [r, g, b]: " + c);
            }
            int v = 0;
            for (int k = 0; k < 3; k++) {
                JsonNode x = c.get(k);
                if (!x.isInt() || x.asInt() < 0 || x.asInt() > 255) {
                    throw new IllegalArgumentException(specFile + ": 'palette' entry " + id + " needs three values 0..255: " + c);
                }
                v = v << 8 | x.asInt();
            }
            rgb[id] = v;
        }
        return new ClassPalette(rgb);
    }

    /** The colour of a class id (0..255), {@link #UNLISTED} past the palette. */
    public int rgb(int classId) {
        return classId < rgb.length ? rgb[classId] : UNLISTED;
    }

    /** Colours listed. */
    public int size() {
        return rgb.length;
    }
}
