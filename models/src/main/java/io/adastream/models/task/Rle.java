package io.adastream.models.task;

import java.util.Arrays;

/**
 * A binary mask as COCO uncompressed run-length encoding ({@code {"size": [h, w], "counts": [...]}} in
 * pycocotools): pixels in column-major order, alternating runs starting with a run of zeros (possibly empty).
 */
public record Rle(int height, int width, int[] counts) {
    public Rle {
        counts = counts.clone();
    }

    /** Number of foreground pixels. */
    public long area() {
        long area = 0;
        for (int i = 1; i < counts.length; i += 2) {
            area += counts[i];
        }
        return area;
    }

    @Override
    public int[] counts() {
        return counts.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Rle r && r.height == height && r.width == width && Arrays.equals(r.counts, counts);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * height + width) + Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return "Rle[" + height + "x" + width + ", counts=" + Arrays.toString(counts) + "]";
    }
}
