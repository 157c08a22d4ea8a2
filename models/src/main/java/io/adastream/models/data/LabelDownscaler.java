package io.adastream.models.data;

import java.util.Arrays;

/**
 * Resizes a class-id mask (one byte per pixel, values 0..255) to a target size by a majority vote: target pixel
 * (tx, ty) covers the source rectangle {@code [tx * sw / tw, (tx + 1) * sw / tw) x [ty * sh / th, (ty + 1) * sh / th)}
 * (the footprint that area averaging of the image uses), each source pixel votes for its label with the area it
 * covers, and the label with the most area wins; ties go to the smaller id (so a class beats Unlabelled). Enlarging
 * is nearest neighbour. The weight tables are kept for the last sizes: one instance per thread.
 */
public final class LabelDownscaler {
    private int sw;
    private int sh;
    private int tw;
    private int th;
    private Footprint columns;
    private Footprint rows;
    private final double[] votes = new double[256];

    /** The {@code tw x th} mask of the {@code sw x sh} mask {@code src} (row-major). */
    public byte[] resize(byte[] src, int sw, int sh, int tw, int th) {
        if (sw <= 0 || sh <= 0 || tw <= 0 || th <= 0) {
            throw new IllegalArgumentException("sizes must be positive: " + sw + "x" + sh + " -> " + tw + "x" + th);
        }
        if (src.length != sw * sh) {
            throw new IllegalArgumentException("mask has " + src.length + " values, not " + sw + "x" + sh);
        }
        if (columns == null || sw != this.sw || sh != this.sh || tw != this.tw || th != this.th) {
            columns = new Footprint(sw, tw);
            rows = new Footprint(sh, th);
            this.sw = sw;
            this.sh = sh;
            this.tw = tw;
            this.th = th;
        }
        byte[] dst = new byte[tw * th];
        for (int ty = 0; ty < th; ty++) {
            for (int tx = 0; tx < tw; tx++) {
                dst[ty * tw + tx] = vote(src, sw, tx, ty);
            }
        }
        return dst;
    }

    private byte vote(byte[] src, int sw, int tx, int ty) {
        Arrays.fill(votes, 0.0);
        for (int j = rows.first[ty]; j < rows.first[ty + 1]; j++) {
            int rowStart = rows.index[j] * sw;
            double wy = rows.weight[j];
            for (int i = columns.first[tx]; i < columns.first[tx + 1]; i++) {
                votes[src[rowStart + columns.index[i]] & 0xFF] += wy * columns.weight[i];
            }
        }
        int best = 0;
        for (int c = 1; c < votes.length; c++) {
            if (votes[c] > votes[best] + 1e-9) {
                best = c;
            }
        }
        return (byte) best;
    }

    /**
     * Target position t covers source {@code [t * s / n, (t + 1) * s / n)} on one axis (at least the pixel its
     * centre falls in): source pixels {@code index[first[t] .. first[t + 1])} with the lengths they cover.
     */
    private static final class Footprint {
        final int[] first;
        final int[] index;
        final double[] weight;

        Footprint(int source, int target) {
            first = new int[target + 1];
            int[] idx = new int[target * ((source + target - 1) / target + 2)];
            double[] w = new double[idx.length];
            int n = 0;
            double step = (double) source / target;
            for (int t = 0; t < target; t++) {
                first[t] = n;
                double lo = t * step;
                double hi = (t + 1) * step;
                if (step < 1) { // enlarging: the pixel under the centre
                    idx[n] = Math.min(source - 1, (int) Math.floor((lo + hi) / 2));
                    w[n++] = 1.0;
                    continue;
                }
                for (int s = (int) Math.floor(lo); s < hi && s < source; s++) {
                    double covered = Math.min(hi, s + 1) - Math.max(lo, s);
                    if (covered > 1e-9) {
                        idx[n] = s;
                        w[n++] = covered;
                    }
                }
            }
            first[target] = n;
            index = Arrays.copyOf(idx, n);
            weight = Arrays.copyOf(w, n);
        }
    }
}
