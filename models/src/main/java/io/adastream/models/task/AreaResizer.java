package io.adastream.models.task;

import java.util.Arrays;

/**
 * Area-averaging resampling of packed 0xRRGGBB pixels into a target placed by a {@link LetterboxTransform}: each
 * target pixel is the mean of the source pixels its footprint covers, weighted by the covered fraction (OpenCV's
 * {@code INTER_AREA} when shrinking). When neither axis shrinks it resamples bilinearly, as OpenCV does. The weight
 * tables and row buffers are kept between frames of the same size: one instance per thread.
 */
public final class AreaResizer {
    private LetterboxTransform tablesFor;
    private Axis columns;
    private Axis rows;
    private float[] rowSum = new float[0];
    private float[] accumulated = new float[0];

    /** Writes {@code transform.targetWidth() * transform.targetHeight()} packed pixels into {@code dst}. */
    public void resize(int[] src, LetterboxTransform transform, int padRgb, int[] dst) {
        int sw = transform.sourceWidth();
        int sh = transform.sourceHeight();
        int tw = transform.targetWidth();
        int th = transform.targetHeight();
        if (src.length < sw * sh || dst.length < tw * th) {
            throw new IllegalArgumentException("buffers too small for " + sw + "x" + sh + " -> " + tw + "x" + th);
        }
        if (transform.scaleX() >= 1f && transform.scaleY() >= 1f) {
            ImageResizer.resize(src, transform, padRgb, dst);
            return;
        }
        if (!transform.equals(tablesFor)) {
            int x0 = Math.round(transform.padX());
            int y0 = Math.round(transform.padY());
            columns = new Axis(sw, x0, Math.min(tw, x0 + transform.contentWidth()) - x0, transform.scaleX());
            rows = new Axis(sh, y0, Math.min(th, y0 + transform.contentHeight()) - y0, transform.scaleY());
            rowSum = new float[3 * columns.count];
            accumulated = new float[3 * columns.count];
            tablesFor = transform;
        }
        Arrays.fill(dst, 0, tw * th, padRgb);
        for (int ty = 0; ty < rows.count; ty++) {
            Arrays.fill(accumulated, 0f);
            for (int j = rows.first[ty]; j < rows.first[ty + 1]; j++) {
                horizontal(src, rows.index[j] * sw);
                float wy = rows.weight[j];
                for (int i = 0; i < accumulated.length; i++) {
                    accumulated[i] += wy * rowSum[i];
                }
            }
            int out = (rows.start + ty) * tw + columns.start;
            for (int tx = 0; tx < columns.count; tx++) {
                int r = clampByte(accumulated[3 * tx]);
                int g = clampByte(accumulated[3 * tx + 1]);
                int b = clampByte(accumulated[3 * tx + 2]);
                dst[out + tx] = (r << 16) | (g << 8) | b;
            }
        }
    }

    /** Area-resamples one source row (starting at {@code rowStart}) into {@link #rowSum}, RGB interleaved. */
    private void horizontal(int[] src, int rowStart) {
        for (int tx = 0; tx < columns.count; tx++) {
            float r = 0f;
            float g = 0f;
            float b = 0f;
            for (int j = columns.first[tx]; j < columns.first[tx + 1]; j++) {
                int p = src[rowStart + columns.index[j]];
                float w = columns.weight[j];
                r += w * ((p >> 16) & 0xFF);
                g += w * ((p >> 8) & 0xFF);
                b += w * (p & 0xFF);
            }
            rowSum[3 * tx] = r;
            rowSum[3 * tx + 1] = g;
            rowSum[3 * tx + 2] = b;
        }
    }

    private static int clampByte(float v) {
        int i = Math.round(v);
        return i < 0 ? 0 : Math.min(255, i);
    }

    /**
     * The footprint of each of {@code count} target positions on one axis: target position t (from {@code start})
     * covers source {@code [t / scale, (t + 1) / scale)}; source pixels {@code index[first[t] .. first[t+1])} with
     * weights (covered length over footprint length) summing to 1.
     */
    private static final class Axis {
        final int start;
        final int count;
        final int[] first;
        final int[] index;
        final float[] weight;

        Axis(int sourceSize, int start, int count, float scale) {
            this.start = start;
            this.count = count;
            this.first = new int[count + 1];
            int capacity = 0;
            for (int t = 0; t < count; t++) {
                capacity += (int) Math.ceil(1 / scale) + 2;
            }
            int[] idx = new int[capacity];
            float[] w = new float[capacity];
            int n = 0;
            for (int t = 0; t < count; t++) {
                first[t] = n;
                double lo = t / (double) scale;
                double hi = Math.min(sourceSize, (t + 1) / (double) scale);
                double length = hi - lo;
                for (int s = (int) Math.floor(lo); s < hi && s < sourceSize; s++) {
                    double covered = Math.min(hi, s + 1) - Math.max(lo, s);
                    if (covered > 1e-9) {
                        idx[n] = s;
                        w[n] = (float) (covered / length);
                        n++;
                    }
                }
                if (n == first[t]) { // a footprint past the last pixel (rounding): take the last pixel
                    idx[n] = sourceSize - 1;
                    w[n] = 1f;
                    n++;
                }
            }
            first[count] = n;
            this.index = Arrays.copyOf(idx, n);
            this.weight = Arrays.copyOf(w, n);
        }
    }
}
