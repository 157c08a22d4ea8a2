package io.adastream.models.task;

/**
 * Bilinear resampling of packed 0xRRGGBB pixels into a target placed by a {@link LetterboxTransform}, with
 * half-pixel centres (as {@code align_corners=false}) and edge clamping; the padding gets a fixed colour.
 */
public final class ImageResizer {
    private ImageResizer() {
    }

    /**
     * Writes {@code target.targetWidth() * target.targetHeight()} packed pixels into {@code dst}.
     *
     * @param src packed 0xRRGGBB pixels, row-major, {@code transform.sourceWidth() x sourceHeight()}
     */
    public static void resize(int[] src, LetterboxTransform transform, int padRgb, int[] dst) {
        int sw = transform.sourceWidth();
        int sh = transform.sourceHeight();
        int tw = transform.targetWidth();
        int th = transform.targetHeight();
        if (src.length < sw * sh || dst.length < tw * th) {
            throw new IllegalArgumentException("buffers too small for " + sw + "x" + sh + " -> " + tw + "x" + th);
        }
        int x0 = Math.round(transform.padX());
        int y0 = Math.round(transform.padY());
        int x1 = Math.min(tw, x0 + transform.contentWidth());
        int y1 = Math.min(th, y0 + transform.contentHeight());
        for (int y = 0; y < th; y++) {
            int row = y * tw;
            if (y < y0 || y >= y1) {
                java.util.Arrays.fill(dst, row, row + tw, padRgb);
                continue;
            }
            float sy = Math.max(0f, (y - y0 + 0.5f) / transform.scaleY() - 0.5f);
            int iy = Math.min((int) sy, sh - 1);
            int iy2 = Math.min(iy + 1, sh - 1);
            float fy = Math.min(1f, sy - iy);
            for (int x = 0; x < tw; x++) {
                if (x < x0 || x >= x1) {
                    dst[row + x] = padRgb;
                    continue;
                }
                float sx = Math.max(0f, (x - x0 + 0.5f) / transform.scaleX() - 0.5f);
                int ix = Math.min((int) sx, sw - 1);
                int ix2 = Math.min(ix + 1, sw - 1);
                float fx = Math.min(1f, sx - ix);
                dst[row + x] = blend(src[iy * sw + ix], src[iy * sw + ix2], src[iy2 * sw + ix], src[iy2 * sw + ix2], fx, fy);
            }
        }
    }

    private static int blend(int p00, int p10, int p01, int p11, float fx, float fy) {
        int out = 0;
        for (int shift = 16; shift >= 0; shift -= 8) {
            float a = (p00 >> shift) & 0xFF;
            float b = (p10 >> shift) & 0xFF;
            float c = (p01 >> shift) & 0xFF;
            float d = (p11 >> shift) & 0xFF;
            float top = a + (b - a) * fx;
            float bottom = c + (d - c) * fx;
            int v = Math.round(top + (bottom - top) * fy);
            out |= Math.min(255, Math.max(0, v)) << shift;
        }
        return out;
    }
}
